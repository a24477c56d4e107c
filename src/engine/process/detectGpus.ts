import {getLlamaGpuTypes} from "node-llama-cpp";
import type {DetectedGpu} from "../../vocabulary/engineProtocol";

/**
 * The GPUs node-llama-cpp finds drivers and runtimes for on this machine (it looks for their libraries; nothing is
 * loaded, so this is cheap and safe): CUDA needs the NVIDIA driver and a CUDA runtime, Vulkan a Vulkan driver,
 * Metal Apple silicon.
 */
export async function detectGpus(): Promise<DetectedGpu[]> {
    return (await getLlamaGpuTypes("supported")).filter((gpu): gpu is DetectedGpu => gpu !== false);
}
