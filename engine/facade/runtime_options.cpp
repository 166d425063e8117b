#include "engine/api/runtime_options.h"

#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/runtime/threads.h"

#include <ATen/Context.h>

namespace aqlm {

const char* computeDeviceName(ComputeDevice device) {
    switch (device) {
    case ComputeDevice::Auto: return "auto";
    case ComputeDevice::Cpu: return "cpu";
    case ComputeDevice::Cuda: return "cuda";
    }
    return "auto";
}

ComputeDevice parseComputeDevice(const std::string& text) {
    for (ComputeDevice d : {ComputeDevice::Auto, ComputeDevice::Cpu, ComputeDevice::Cuda})
        if (text == computeDeviceName(d)) return d;
    throw EngineError("", "unknown device '" + text + "'", "the devices are auto, cpu and cuda");
}

RuntimeInUse applyRuntime(const RuntimeOptions& options, const std::string& job) {
    RuntimeInUse inUse;
    if (options.device == ComputeDevice::Cuda) {
        if (!cudaAvailable())
            throw EngineError("", "a CUDA GPU was asked for, but " +
                                      std::string(at::hasCUDA() ? "no GPU is visible to the engine"
                                                                  : "this engine was built without CUDA"),
                              "choose the CPU or automatic device in the settings");
        // The model, the layer quantizer and block fine-tuning do not move to the GPU yet (only the
        // AQLM kernels and their benchmark do): refuse rather than silently run on the CPU.
        throw EngineError("", "the " + job + " cannot run on the GPU in this version",
                          "choose the CPU or automatic device in the settings");
    }
    inUse.threads = setThreadCount(options.threads);
    inUse.device = "cpu";
    return inUse;
}

}  // namespace aqlm
