#pragma once
// How a job runs on this machine (threads, device), passed with every job (compression, evaluation,
// speed, chat) and applied on the thread that runs it: LibTorch's thread count is a per-thread
// setting under OpenMP, so a count set on another thread (the GUI's) would never reach the worker.
#include <string>

namespace aqlm {

enum class ComputeDevice { Auto, Cpu, Cuda };
const char* computeDeviceName(ComputeDevice device);  // "auto", "cpu", "cuda"
// Throws EngineError naming the accepted names for anything else.
ComputeDevice parseComputeDevice(const std::string& text);

struct RuntimeOptions {
    int threads = 0;                               // 0: every core
    ComputeDevice device = ComputeDevice::Auto;   // Auto: a CUDA GPU where the engine has one, else the CPU

    bool operator==(const RuntimeOptions& other) const { return threads == other.threads && device == other.device; }
    bool operator!=(const RuntimeOptions& other) const { return !(*this == other); }
};

// What a job actually ran with.
struct RuntimeInUse {
    int threads = 0;
    std::string device = "cpu";
};

// Applies the options to the calling thread and returns what is in use. Throws EngineError when CUDA
// is asked for and the engine has none (no CUDA build or no GPU visible) or when the job cannot run
// on the GPU yet (`job` names it: "compression", "evaluation", "chat", "speed measurement").
RuntimeInUse applyRuntime(const RuntimeOptions& options, const std::string& job);

}  // namespace aqlm
