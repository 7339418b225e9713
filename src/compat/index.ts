/*
 * The compatibility engine: pure functions over an environment's package
 * records and this machine's facts, driven by data tables that cite their
 * sources (shared/reference/cuda-compat.md).
 */

export { analyzeEnvironment } from './analyze';
export type { IAnalyzeContext } from './commands';
export type { EnvironmentAnalysis, IAnalysis } from './analyze';
export { VERDICT_CODES } from './codes';
export type { ICodeInfo, Severity, VerdictCode } from './codes';
export type { BuildKind } from './buildReading';
export type { ICudaBuildInfo } from './cudaBuild';
export { SOURCE_KEYS } from './data/sourceKeys';
export type { Encoding } from './data/encodings';
export { driverCuda, inferCudaFromDriver } from './driver';
export type { IDriverCuda } from './driver';
export type {
  DetectionAttempt,
  GpuDevice,
  GpuFacts,
  SystemFacts
} from './facts';
export { detectFrameworks, FRAMEWORK_LABELS } from './frameworks';
export type { FrameworkKind, IFramework } from './frameworks';
export { envPython } from './records';
export type { IVerdict } from './verdict';

import type { IAnalysis } from './analyze';
import type { ICudaBuildInfo } from './cudaBuild';
import type { IFramework } from './frameworks';
import type { IVerdict } from './verdict';

// The names the issue uses, for callers that follow it.
export type Analysis = IAnalysis;
export type CudaBuildInfo = ICudaBuildInfo;
export type Framework = IFramework;
export type Verdict = IVerdict;
