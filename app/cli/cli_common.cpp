#include "app/cli/cli_common.h"

#include "engine/layers/kernels/kernel_select.h"
#include "engine/runtime/threads.h"
#include "engine/api/runtime_options.h"

#include <iostream>
#include <stdexcept>

namespace aqlm::cli {

std::string flagsForHint(const std::string& message) {
    static const std::pair<const char*, const char*> kSettingFlags[] = {
        {"resume the run", "--resume"},
        {"output folder", "--out"},
        {"calibration text", "--calib"},
        {"calibration sequence length", "--seq-len"},
        {"calibration samples", "--nsamples"},
        {"choose a tokenizer", "--tokenizer"},
        {"integer bits", "--bits"},
        {"group size", "--scheme or --group"},
        {"context length", "--context"},
    };
    std::string flags;
    for (const auto& [setting, flag] : kSettingFlags)
        if (message.find(setting) != std::string::npos) flags += std::string(flags.empty() ? "" : ", ") + flag;
    return flags.empty() ? std::string() : " (options: " + flags + ")";
}

std::set<std::string> commonValueOptions(std::set<std::string> extra) {
    extra.insert({"threads", "tokenizer"});
    return extra;
}

std::set<std::string> commonFlags(std::set<std::string> extra) {
    extra.insert("json");
    return extra;
}

namespace {
int requestedThreads(const ArgParser& args) {
    const long long requested = args.getInt("threads", 0);
    if (requested < 0) throw std::invalid_argument("--threads must be positive");
    return static_cast<int>(requested);
}
}  // namespace

int applyThreads(const ArgParser& args) { return setThreadCount(requestedThreads(args)); }

int applyRuntimeArgs(const ArgParser& args, const std::string& job) {
    RuntimeOptions runtime;
    runtime.threads = requestedThreads(args);
    runtime.device = parseComputeDevice(args.get("device", "auto"));
    return applyRuntime(runtime, job).threads;
}

void applyKernelPolicy(const ArgParser& args) {
    kernels::setKernelPolicy(kernels::parseKernelPolicy(args.get("kernel", "auto")));
}

void printJsonIfAsked(const ArgParser& args, const nlohmann::json& object) {
    if (args.has("json")) std::cout << object.dump() << std::endl;
}

std::string requireModelArgument(const ArgParser& args, const std::string& command) {
    if (args.positional().size() != 1)
        throw std::invalid_argument("usage: aqlm " + command + " MODEL [options] (see aqlm --help)");
    return args.positional().front();
}

}  // namespace aqlm::cli
