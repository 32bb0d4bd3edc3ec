// The api's queue and job names, for suites and benchmarks that watch its BullMQ queues from outside.
export { REFRESH_JOB, SCAN_SCHEDULER_ID, SYNC_QUEUE, syncJobId, TOKEN_REFRESH_QUEUE } from '@dashtam/api-app';
