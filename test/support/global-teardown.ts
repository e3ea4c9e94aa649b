export default async function globalTeardown(): Promise<void> {
  const pid = globalThis.__S3_SERVER_PID__;
  if (pid !== undefined) process.kill(pid, 'SIGTERM');
}
