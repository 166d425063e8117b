// Build and device facts for the settings dialog and the About box.
#include "engine/api/engine_facade.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

namespace aqlm {

bool cudaAvailable() { return at::hasCUDA() && at::getNumGPUs() > 0; }

std::string engineBuildInfo() {
    std::string info = "LibTorch " TORCH_VERSION;
    info += at::hasCUDA() ? ", CUDA built in, " + std::to_string(at::getNumGPUs()) + " GPU(s) present"
                          : ", CPU only";
    info += ", " + std::to_string(at::get_num_threads()) + " threads";
    return info;
}

}  // namespace aqlm
