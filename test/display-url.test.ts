/** The one masking of URLs and connection strings before they are printed (tasks/core/display-url.ts). */
import { displayUrl } from '../tasks/core/display-url';

describe('displayUrl', () => {
  it('masks signatures and credentials but keeps the rest', () => {
    expect(displayUrl('https://storage.example/b/o.zip?GoogleAccessId=x&Expires=1&Signature=abc')).toBe(
      'https://storage.example/b/o.zip?GoogleAccessId=x&Expires=***&Signature=***',
    );
    expect(displayUrl('https://s3.example/o?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-Security-Token=c')).toBe(
      'https://s3.example/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***',
    );
    expect(displayUrl('https://user:pass@example.org/x?id=CUSR0000SS62031')).toBe('https://example.org/x?id=CUSR0000SS62031');
  });

  it('masks the password of a connection string of any scheme', () => {
    expect(displayUrl('mysql://u:SECRET@host/db')).toBe('mysql://host/db');
    expect(displayUrl('postgres://loader:SECRET@127.0.0.1:5432/dw?password=SECRET2')).toBe('postgres://127.0.0.1:5432/dw?password=***');
  });

  it('masks user info and secret-like query values of a text that does not parse as a URL', () => {
    expect(displayUrl('https://user:SECRET@[bad/x.zip')).toBe('https://***@[bad/x.zip');
    expect(displayUrl('https://u:SE/CR@ET@[bad/x.zip?X-Amz-Signature=SIG&part=1')).toBe('https://***@[bad/x.zip?X-Amz-Signature=***&part=1');
    expect(displayUrl('redshift-data://u:SECRET@[x/db')).toBe('redshift-data://***@[x/db');
    // Not a URL at all: a path or a dataset reference is shown as it is.
    expect(displayUrl('/data/the-movies-dataset')).toBe('/data/the-movies-dataset');
    expect(displayUrl('rounakbanik/the-movies-dataset')).toBe('rounakbanik/the-movies-dataset');
  });
});
