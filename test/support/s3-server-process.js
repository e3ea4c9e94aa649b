// Runs s3rver (an S3-compatible server from npm) for the tests, on 127.0.0.1 and a free port.
// Started as its own process with --openssl-legacy-provider: s3rver signs ListObjectsV2
// continuation tokens with DES, which Node 20's OpenSSL 3 refuses otherwise.
const S3rver = require('s3rver');

const directory = process.argv[2];
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: 'movalytics-test' }],
});
server.run().then(({ port }) => {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
