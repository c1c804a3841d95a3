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
  weightDecay: finiteNumber.min(0).max(LIMITS.maxWeightDecay),
};

/**
 * A whole configuration. weightDecay defaults to 0, so model files and run records written before it
 * existed still parse (as the runs they were: no weight decay).
 */
export const trainConfigSchema = z.object({ ...trainConfigFields, weightDecay: trainConfigFields.weightDecay.default(0) }).strict();

/** A partial configuration, as a client may send it (a field left out stays as it is: no defaults here). */
export const trainConfigPatchSchema = z.object(trainConfigFields).partial().strict();

// The schema and the TypeScript type say the same thing (checked both ways at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _configTypesAgree: Same<z.infer<typeof trainConfigSchema>, TrainConfig> = true;
void _configTypesAgree;
