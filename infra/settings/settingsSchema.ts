import { z } from 'zod';
import { readerOrganizationsSchema } from '../../lambdas/config/readers.ts';

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/**
 * Shape of the settings besides the broker configuration document's (`parameterPrefix`,
 * `instances`, `stateTable`, `ssmThroughput`: `brokerConfigSchema` checks them). Unknown keys are errors, so a misspelt key never falls back to a default silently.
 */
export const settingsSchema = z.strictObject({
  parameterPrefix: z.unknown().optional(),
  instances: z.unknown().optional(),
  stateTable: z.unknown().optional(),
  ssmThroughput: z.unknown().optional(),
  credentials: z
    .record(z.string(), z.unknown(), { error: 'must be an object keyed by instance name' })
    .optional(),
  scheduleRate: z.string({ error: 'must be a rate such as "5 minutes"' }).optional(),
  kmsKeyArn: z
    .string()
    .regex(KMS_KEY_ARN, {
      error: 'must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); aliases cannot scope IAM',
    })
    .optional(),
  alarmEmail: z.string().regex(EMAIL, { error: 'must be an email address' }).optional(),
  logRetentionDays: z
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .optional(),
  refresherMemoryMb: int(128, 10240).optional(),
  refresherTimeoutSeconds: int(30, 900).optional(),
  reservedConcurrency: int(-1, 1000)
    .refine((value) => value !== 0, {
      error: 'must be -1 (reserve none) or at least 1 (0 would stop the refresher)',
    })
    .optional(),
  expiryAlarmSeconds: int(1, 86400).optional(),
  secretRecoveryDays: int(0, 30)
    .refine((days) => days === 0 || days >= 7, { error: 'must be 0 or 7 to 30' })
    .optional(),
  exampleConsumer: z.boolean({ error: 'must be true or false' }).optional(),
  readerOrganizations: readerOrganizationsSchema.optional(),
  allowCrossAccountRefresh: z.boolean({ error: 'must be true or false' }).optional(),
});
