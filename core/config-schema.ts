// The schema of a run's configuration, built from the core's LIMITS so the trainer, the contract's
// validators, the model file and the UI share one set of limits. Pure (zod only).

import { z } from 'zod';
import { LIMITS, type TrainConfig } from './train';

/** A finite number (zod's number() accepts Infinity in some modes; say so explicitly). */
export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

/** Each field of a run's configuration, within LIMITS. */
export const trainConfigFields = {
  epochs: z.number().int().min(1).max(LIMITS.maxEpochs),
  batchSize: z.number().int().min(1).max(LIMITS.maxBatchSize),
  lr: finiteNumber.min(LIMITS.minLr).max(LIMITS.maxLr),
  seed: z.number().int().refine(Number.isSafeInteger, 'must be a safe integer'),
  softmax: z.enum(['stable', 'naive']),
};

/** A whole configuration. */
export const trainConfigSchema = z.object(trainConfigFields).strict();

/** A partial configuration, as a client may send it. */
export const trainConfigPatchSchema = trainConfigSchema.partial().strict();

// The schema and the TypeScript type say the same thing (checked both ways at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _configTypesAgree: Same<z.infer<typeof trainConfigSchema>, TrainConfig> = true;
void _configTypesAgree;
