/** The test S3 server started by global-setup, and lakes on it. */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createS3Client, S3Lake } from '../../tasks/core/lake/s3-lake';

export function testS3Endpoint(): string {
  const endpoint = process.env.MOVALYTICS_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('the test S3 server is not running (jest globalSetup sets MOVALYTICS_TEST_S3_ENDPOINT)');
  return endpoint;
}

/** Environment that points the AWS SDK at the test server with dummy credentials. */
export function testS3Env(): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_S3: testS3Endpoint(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
}

/** A fresh bucket of its own for one test file, so tests never see each other's objects. */
export async function freshS3Lake(prefix = 'lake', listPageSize?: number): Promise<S3Lake> {
  Object.assign(process.env, testS3Env());
  const client = createS3Client({ endpoint: testS3Endpoint(), region: 'us-east-1' });
  const bucket = `t-${randomBytes(6).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3Lake(`s3://${bucket}/${prefix}`, client, listPageSize);
}
