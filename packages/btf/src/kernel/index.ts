export { kernelAvailable, minimalValidBtf, type KernelAvailability } from "./available.js";
export { formatKernelVerdict, loadIntoKernel, loadManyIntoKernel, type KernelVerdict } from "./load.js";
export { ensureHelperBinary } from "./helper-binary.js";
export { runningKernelTarget, type RunningKernelTarget } from "./release.js";
