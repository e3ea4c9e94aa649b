#!/usr/bin/env node
/**
 * `create-bucket.js ENDPOINT BUCKET`: creates the bucket on an S3-compatible server (MinIO) unless
 * it exists. Credentials and region come the standard AWS way (environment).
 */
const { S3Client, CreateBucketCommand, HeadBucketCommand } = require('@aws-sdk/client-s3');

async function main([endpoint, bucket]) {
  if (!endpoint || !bucket) throw new Error('usage: create-bucket.js ENDPOINT BUCKET');
  const s3 = new S3Client({ endpoint, forcePathStyle: true, region: process.env.AWS_REGION || 'us-east-1' });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    process.stdout.write(`bucket ${bucket} exists on ${endpoint}\n`);
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    process.stdout.write(`bucket ${bucket} created on ${endpoint}\n`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`create-bucket: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
