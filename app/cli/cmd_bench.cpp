// aqlm bench matvec | generate: AQLM kernels against the dense baseline on the same shapes, same run.
#include "app/cli/cli_common.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/kernels/dense_half_kernels.h"
#include "engine/layers/kernels/isa_kernels.h"
#include "engine/layers/kernels/kernel_select.h"
#include "engine/eval/synthetic_model.h"
#include "engine/model/decode_step.h"

#ifdef AQLM_TORCH_CUDA
#include "engine/layers/kernels/cuda_glue.h"
#endif

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

namespace aqlm::cli {
namespace {

// Waits for queued GPU work so that timings cover it (no-op on CPU).
void synchronize(bool cuda) {
#ifdef AQLM_TORCH_CUDA
    if (cuda) kernels::cudaSynchronize();
#else
    (void)cuda;
#endif
}

double medianMs(int repeats, const std::function<void()>& f, bool cuda = false) {
    for (int i = 0; i < 2; ++i) f();  // warm caches, allocator, thread pool (and the GPU upload)
    synchronize(cuda);
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        synchronize(cuda);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

// The memory bound to compare kernels with: bytes read + written per second by a parallel copy of 256 MiB.
double copyBandwidthGBs() {
    const at::Tensor src = at::ones({int64_t(1) << 26}, at::kFloat);
    at::Tensor dst = at::empty_like(src);
    const double ms = medianMs(5, [&] { dst.copy_(src); });
    return 2.0 * src.numel() * 4 / (ms * 1e-3) / 1e9;
}

// The bound of a matvec, which only reads its weight: bytes read per second by a parallel sum of 256 MiB.
double readBandwidthGBs() {
    const at::Tensor src = at::ones({int64_t(1) << 26}, at::kFloat);
    const double ms = medianMs(5, [&] { (void)src.sum(); });
    return src.numel() * 4.0 / (ms * 1e-3) / 1e9;
}

at::ScalarType parseDtype(const std::string& s) {
    if (s == "fp32") return at::kFloat;
    if (s == "bf16") return at::kBFloat16;
    if (s == "fp16") return at::kHalf;
    throw std::invalid_argument("--dtype must be fp32, bf16 or fp16, not '" + s + "'");
}

// True for --device cuda (only where this build has the CUDA kernels).
bool useCuda(const ArgParser& args) {
    const std::string device = args.get("device", "cpu");
    if (device == "cpu") return false;
    if (device != "cuda") throw std::invalid_argument("--device must be cpu or cuda, not '" + device + "'");
    if (!kernels::cudaKernelsAvailable())
        throw std::invalid_argument("--device cuda: this build has no CUDA kernels wired to LibTorch (LibTorch "
                                    "without CUDA); run tests/cuda/tst_cuda_kernels or build with a CUDA LibTorch");
    return true;
}

int64_t availableMemoryBytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    int64_t kb = 0;
    std::string unit;
    while (meminfo >> key >> kb >> unit)
        if (key == "MemAvailable:") return kb * 1024;
    return 0;
}

kernels::HalfPath parseHalfPath(const std::string& s) {
    for (kernels::HalfPath p : {kernels::HalfPath::Auto, kernels::HalfPath::RowPass, kernels::HalfPath::TiledGemm})
        if (s == kernels::halfPathName(p)) return p;
    throw std::invalid_argument("--half-path must be auto, row-pass or tiled-gemm, not '" + s + "'");
}

// One run of the 16-bit dense kernels with its two baselines on the same shape.
struct HalfDenseTimes {
    double kernelMs = 0;                // halfLinearForward on the kHalf / kBFloat16 weight
    double floatMs = 0;                 // fp32 BLAS (at::mv / at::matmul) on the same weight in fp32
    std::optional<double> libtorchMs;   // at::mv / at::linear on the 16-bit tensor itself, if this LibTorch can
    std::string libtorchNote;
    std::string path;                   // the kernel path auto chose (or the forced one)
    double readGbps = 0;                // the machine's read bandwidth, measured in the same run
};

HalfDenseTimes timeHalfDense(const at::Tensor& weight, const at::Tensor& x, kernels::HalfPath path, int repeats) {
    HalfDenseTimes t;
    const int64_t tokens = x.size(0), cols = x.size(1);
    t.path = kernels::halfPathName(path == kernels::HalfPath::Auto
                                       ? (tokens >= kernels::halfGemmMinTokens() ? kernels::HalfPath::TiledGemm
                                                                                 : kernels::HalfPath::RowPass)
                                       : path);
    t.kernelMs = medianMs(repeats, [&] { (void)kernels::halfLinearForward(x, weight, path); });
    {
        const at::Tensor weightFloat = weight.to(at::kFloat);  // freed before the LibTorch 16-bit run
        t.floatMs = medianMs(repeats, [&] {
            (void)(tokens == 1 ? at::mv(weightFloat, x.reshape({cols})) : at::matmul(x, weightFloat.t()));
        });
    }
    t.readGbps = readBandwidthGBs();
    const at::Tensor xh = x.to(weight.scalar_type());
    try {
        t.libtorchMs = medianMs(repeats, [&] {
            (void)(tokens == 1 ? at::mv(weight, xh.reshape({cols})) : at::linear(xh, weight));
        });
    } catch (const c10::Error& e) {
        t.libtorchNote = e.what_without_backtrace();
        t.libtorchNote = t.libtorchNote.substr(0, t.libtorchNote.find('\n'));
    }
    return t;
}

void printHalfDense(const HalfDenseTimes& t, const std::string& dtypeName, int64_t weightBytes, double copyGbps) {
    const double gbps = weightBytes / (t.kernelMs * 1e-3) / 1e9;
    std::printf("  dense %-22s %9.3f ms  (%.2f GB/s of weight bytes; %.0f%% of copy, %.0f%% of read bandwidth %.1f GB/s)\n",
                (dtypeName + " " + t.path).c_str(), t.kernelMs, gbps, copyGbps > 0 ? 100 * gbps / copyGbps : 0.0,
                100 * gbps / t.readGbps, t.readGbps);
    std::printf("  dense %-22s %9.3f ms  (%.2fx of the 16-bit kernel's time)\n", "fp32 blas", t.floatMs,
                t.floatMs / t.kernelMs);
    if (t.libtorchMs)
        std::printf("  dense %-22s %9.3f ms  (%.2fx)\n", (dtypeName + " libtorch").c_str(), *t.libtorchMs,
                    *t.libtorchMs / t.kernelMs);
    else std::printf("  dense %-22s not available: %s\n", (dtypeName + " libtorch").c_str(), t.libtorchNote.c_str());
}

void addHalfDenseJson(nlohmann::json& j, const HalfDenseTimes& t, int64_t weightBytes) {
    j["half_path"] = t.path;
    j["half_isa"] = kernels::halfKernels().name;
    j["half_weight_gb_per_s"] = weightBytes / (t.kernelMs * 1e-3) / 1e9;
    j["fp32_blas_ms"] = t.floatMs;
    j["read_gb_per_s"] = t.readGbps;
    j["libtorch_half_ms"] = t.libtorchMs ? nlohmann::json(*t.libtorchMs) : nlohmann::json(nullptr);
    if (!t.libtorchMs) j["libtorch_half_note"] = t.libtorchNote;
}

int runBenchMatvec(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({"rows", "cols", "scheme", "dtype", "device", "repeats", "tokens", "seed", "kernel",
                                       "half-path"}),
                   commonFlags({}));
    args.parse(rawArgs);
    const int threads = applyThreads(args);
    applyKernelPolicy(args);
    const bool cuda = useCuda(args);
    const at::Device device(cuda ? at::kCUDA : at::kCPU);
    const int64_t rows = args.getInt("rows", 4096), cols = args.getInt("cols", 4096);
    const int64_t tokens = args.getInt("tokens", 1);
    const int repeats = static_cast<int>(args.getInt("repeats", 20));
    const QuantScheme scheme = QuantScheme::parse(args.get("scheme", "2x8g8"));
    const at::ScalarType dtype = parseDtype(args.get("dtype", cuda ? "fp16" : "fp32"));
    const std::string dtypeName = args.get("dtype", cuda ? "fp16" : "fp32");
    if (rows <= 0 || cols <= 0 || tokens <= 0 || repeats <= 0)
        throw std::invalid_argument("--rows, --cols, --tokens and --repeats must be positive");
    if (cols % scheme.inGroupSize != 0)
        throw std::invalid_argument("--cols " + std::to_string(cols) + " is not a multiple of the group size " +
                                    std::to_string(scheme.inGroupSize));

    c10::NoGradGuard noGrad;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(args.getInt("seed", 0)));
    const auto layerPtr = kernels::randomAqlmLinear(rows, cols, scheme, gen);
    const auto& layer = static_cast<const AqlmLinear&>(*layerPtr);
    // CUDA runs the AQLM kernels on fp16 activations; the CPU kernels take fp32.
    const at::Tensor x = at::randn({tokens, cols}, gen, at::TensorOptions().dtype(at::kFloat))
                             .to(device, cuda ? at::kHalf : at::kFloat);
    const kernels::KernelChoice choice = layer.kernelFor(tokens, cuda);
    const double aqlmMs = medianMs(repeats, [&] { (void)layer.forward(x); }, cuda);

    at::Tensor denseFloat = at::randn({rows, cols}, gen, at::TensorOptions().dtype(at::kFloat)) /
                            std::sqrt(static_cast<double>(cols));
    const at::Tensor dense = denseFloat.to(device, dtype);
    const at::Tensor xd = x.to(dtype);
    // fp16 / bf16 on the CPU: our kernels (dense_half_kernels.h) against fp32 BLAS and LibTorch's own 16-bit path.
    std::optional<HalfDenseTimes> half;
    if (!cuda && dtype != at::kFloat) {
        denseFloat.reset();
        half = timeHalfDense(dense, x, parseHalfPath(args.get("half-path", "auto")), repeats);
    }
    double denseMs = half ? half->kernelMs : 0;
    if (!half) try {
        denseMs = medianMs(repeats, [&] {
            (void)(tokens == 1 ? at::mv(dense, xd.reshape({cols})) : at::matmul(xd, dense.t()));
        }, cuda);
    } catch (const c10::Error& e) {
        throw std::invalid_argument("dense " + dtypeName + " baseline is not available in this LibTorch on " +
                                    (cuda ? "CUDA" : "CPU") + ": " + e.what_without_backtrace());
    }
    const double codeBytes = static_cast<double>(layer.packedCodeBytes());
    const double gbps = codeBytes / (aqlmMs * 1e-3) / 1e9;
    const double copyGbps = cuda ? 0.0 : copyBandwidthGBs();
    std::printf("matvec %lldx%lld %s, %lld token(s), %d threads\n", static_cast<long long>(rows),
                static_cast<long long>(cols), scheme.toString().c_str(), static_cast<long long>(tokens), threads);
    std::printf("  aqlm  %-22s %9.3f ms  (%.2f GB/s of code bytes; machine copy bandwidth %.1f GB/s)\n",
                kernels::kernelName(choice.kernel), aqlmMs, gbps, copyGbps);
    if (half) printHalfDense(*half, dtypeName, rows * cols * 2, copyGbps);
    else std::printf("  dense %-22s %9.3f ms\n", (dtypeName + (tokens == 1 ? " mv" : " matmul")).c_str(), denseMs);
    std::printf("  speedup %.2fx\n", denseMs / aqlmMs);
    nlohmann::json j{{"aqlm_ms", aqlmMs},
                            {"dense_ms", denseMs},
                            {"speedup", denseMs / aqlmMs},
                            {"kernel", kernels::kernelName(choice.kernel)},
                            {"reason", choice.reason},
                            {"rows", rows},
                            {"cols", cols},
                            {"tokens", tokens},
                            {"scheme", scheme.toString()},
                            {"dense_dtype", dtypeName},
                            {"device", cuda ? "cuda" : "cpu"},
                            {"code_bytes", static_cast<int64_t>(codeBytes)},
                            {"code_gb_per_s", gbps},
                            {"copy_gb_per_s", copyGbps},
                            {"isa", kernels::isaKernels().name},
                            {"threads", threads}};
    if (half) addHalfDenseJson(j, *half, rows * cols * 2);
    printJsonIfAsked(args, j);
    return 0;
}

// Weight bytes one decode step reads: every block linear and the head (the embedding is one row; an
// int8 head is one byte per weight and an fp32 scale per 64).
int64_t weightBytesPerToken(const LlamaModel& model) {
    auto bytes = [](const Linear& l) -> int64_t {
        if (const auto* a = dynamic_cast<const AqlmLinear*>(&l))
            return a->packedCodeBytes() + a->codebooks().numel() * 4 + a->scales().numel() * 4;
        if (const auto* d = dynamic_cast<const DenseLinear*>(&l))
            return d->storedWeight().numel() * d->storedWeight().element_size();
        return l.inFeatures() * l.outFeatures() * 4;
    };
    const int64_t headRows = model.lmHead() ? model.lmHead()->outFeatures() : model.embedding().size(0);
    const int64_t headCols = model.lmHead() ? model.lmHead()->inFeatures() : model.embedding().size(1);
    int64_t total = model.decodeHeadIsInt8() ? kernels::int8RowsBytes(headRows, headCols)
                    : model.lmHead()         ? bytes(*model.lmHead())
                                             : model.embedding().numel() * model.embedding().element_size();
    for (int64_t b = 0; b < model.numBlocks(); ++b)
        for (Sublayer s : kAllSublayers) total += bytes(model.block(b).linear(s));
    return total;
}

// Decode tokens/s: a short prompt through the cache, then single-token greedy steps.
double decodeTokensPerSecond(const LlamaModel& model, int64_t promptTokens, int64_t decodeTokens) {
    auto cache = model.makeCache(1, promptTokens + decodeTokens + 4);
    const at::Tensor prompt = at::randint(3, model.config().vocabSize, {1, promptTokens}, at::kLong);
    at::Tensor next = model.forward(prompt, &cache).select(1, promptTokens - 1).argmax(-1).view({1, 1});
    next = model.forward(next, &cache).select(1, 0).argmax(-1).view({1, 1});  // warm-up step
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < decodeTokens; ++i) next = model.forward(next, &cache).select(1, 0).argmax(-1).view({1, 1});
    return decodeTokens / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int runBenchGenerate(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({"synthetic", "scheme", "decode-tokens", "prompt-tokens", "layers", "device",
                                       "seed", "dense-dtype", "head-dtype", "decode-path", "decode-head", "kernel"}),
                   commonFlags({"no-dense", "no-aqlm"}));
    args.parse(rawArgs);
    const int threads = applyThreads(args);
    applyKernelPolicy(args);
    if (useCuda(args)) throw std::invalid_argument("bench generate runs on the CPU only (the model runtime is CPU)");
    if (!args.has("synthetic")) throw std::invalid_argument("--synthetic llama2-7b|llama-1b is required");
    ModelConfig config = kernels::syntheticConfig(args.get("synthetic"));
    if (args.has("layers")) config.nLayers = args.getInt("layers", config.nLayers);
    const QuantScheme scheme = QuantScheme::parse(args.get("scheme", "2x8g8"));
    const int64_t decodeTokens = args.getInt("decode-tokens", 16), promptTokens = args.getInt("prompt-tokens", 8);
    if (config.nLayers <= 0 || decodeTokens <= 0 || promptTokens <= 0)
        throw std::invalid_argument("--layers, --decode-tokens and --prompt-tokens must be positive");
    const uint64_t seed = static_cast<uint64_t>(args.getInt("seed", 0));
    // Embeddings and head as checkpoints store them (fp16, also in AQLM checkpoints), or fp32.
    const std::string headArg = args.get("head-dtype", "fp16");
    if (headArg != "fp16" && headArg != "fp32")
        throw std::invalid_argument("--head-dtype must be fp16 or fp32, not '" + headArg + "'");
    const at::ScalarType headDtype = headArg == "fp16" ? at::kHalf : at::kFloat;
    const std::string pathArg = args.get("decode-path", "fused");
    if (pathArg != "fused" && pathArg != "eager")
        throw std::invalid_argument("--decode-path must be fused or eager, not '" + pathArg + "'");
    setDecodePath(pathArg == "fused" ? DecodePath::Fused : DecodePath::Eager);
    setDecodeHead(parseDecodeHead(args.get("decode-head", "auto")));
    c10::NoGradGuard noGrad;

    const kernels::AqlmKernel kernel = kernels::selectKernel(scheme, false, 1);
    std::printf("synthetic %s (dim %lld, %lld layers, hidden %lld), %s (%s), head and embeddings %s, %s decode, "
                "%d threads\n",
                args.get("synthetic").c_str(), static_cast<long long>(config.dim), static_cast<long long>(config.nLayers),
                static_cast<long long>(config.hiddenDim), scheme.toString().c_str(), kernels::kernelName(kernel),
                headArg.c_str(), pathArg.c_str(), threads);
    double aqlmTokS = 0;
    int64_t aqlmBytes = 0;
    bool aqlmHeadInt8 = false;
    if (!args.has("no-aqlm")) {
        const auto model = kernels::makeSyntheticModel(config, scheme, seed, at::kFloat, headDtype);
        aqlmBytes = weightBytesPerToken(*model);
        aqlmTokS = decodeTokensPerSecond(*model, promptTokens, decodeTokens);
        aqlmHeadInt8 = model->decodeHeadIsInt8();
    }
    const double bandwidth = readBandwidthGBs();
    // Reading the weights once per token at the measured read bandwidth is the upper bound.
    const double aqlmBoundFraction = aqlmBytes * aqlmTokS / 1e9 / bandwidth;
    std::printf("  aqlm  %s, head %s: %.2f tok/s (%.1f MB of weights per token, %.0f%% of the %.1f GB/s read bound)\n",
                scheme.toString().c_str(), aqlmHeadInt8 ? "int8" : headArg.c_str(), aqlmTokS, aqlmBytes / 1e6,
                100 * aqlmBoundFraction, bandwidth);

    // The dense twin: fp32 where it fits in memory, bf16 (half the bytes) where only that fits.
    const int64_t linearParams = config.nLayers * (2 * config.dim * config.dim + 2 * config.kvDim() * config.dim +
                                                   3 * config.dim * config.hiddenDim);
    const int64_t otherBytes = (headDtype == at::kHalf ? 2 : 4) * 2 * config.vocabSize * config.dim;
    const std::string dtypeArg = args.get("dense-dtype", "auto");
    if (dtypeArg != "auto" && dtypeArg != "fp32" && dtypeArg != "bf16" && dtypeArg != "fp16")
        throw std::invalid_argument("--dense-dtype must be auto, fp32, fp16 or bf16, not '" + dtypeArg + "'");
    const int64_t budget = availableMemoryBytes() * 9 / 10;
    std::string denseDtype = dtypeArg;
    if (dtypeArg == "auto") denseDtype = 4 * linearParams + otherBytes <= budget ? "fp32" : "bf16";
    const int64_t denseBytes = (denseDtype == "fp32" ? 4 : 2) * linearParams + otherBytes;
    std::optional<double> denseTokS;
    int64_t denseBytesRead = 0;
    std::string denseNote;
    if (args.has("no-dense")) {
        denseNote = "skipped (--no-dense)";
    } else if (denseBytes > budget) {
        denseNote = "dense " + denseDtype + " needs " + std::to_string(denseBytes >> 20) + " MiB, more than the " +
                    std::to_string(availableMemoryBytes() >> 20) + " MiB available: not run";
    } else {
        const auto model = kernels::makeSyntheticModel(config, std::nullopt, seed,
                                                       denseDtype == "fp32" ? at::kFloat : parseDtype(denseDtype), headDtype);
        denseTokS = decodeTokensPerSecond(*model, promptTokens, decodeTokens);
        denseBytesRead = weightBytesPerToken(*model);
    }
    if (denseTokS)
        std::printf("  dense %s: %.2f tok/s (%.0f%% of the read bound)\n  speedup %.2fx\n", denseDtype.c_str(),
                    *denseTokS, 100 * denseBytesRead * *denseTokS / 1e9 / bandwidth,
                    *denseTokS > 0 ? aqlmTokS / *denseTokS : 0);
    else std::printf("  dense: %s\n", denseNote.c_str());
    nlohmann::json j{{"aqlm_tok_s", aqlmTokS},
                     {"scheme", scheme.toString()},
                     {"synthetic", args.get("synthetic")},
                     {"layers", config.nLayers},
                     {"threads", threads},
                     {"kernel", kernels::kernelName(kernel)},
                     {"head_dtype", headArg},
                     {"aqlm_decode_head", aqlmHeadInt8 ? "int8" : headArg},
                     {"decode_path", pathArg}};
    j["dense_tok_s"] = denseTokS ? nlohmann::json(*denseTokS) : nlohmann::json(nullptr);
    j["speedup"] = denseTokS && aqlmTokS > 0 ? nlohmann::json(aqlmTokS / *denseTokS) : nlohmann::json(nullptr);
    j["dense_dtype"] = denseDtype;
    j["aqlm_weight_bytes_per_token"] = aqlmBytes;
    j["read_bandwidth_gb_s"] = bandwidth;
    j["aqlm_bandwidth_fraction"] = aqlmBoundFraction;
    j["dense_weight_bytes_per_token"] = denseBytesRead;
    j["dense_bandwidth_fraction"] = denseTokS ? nlohmann::json(denseBytesRead * *denseTokS / 1e9 / bandwidth)
                                              : nlohmann::json(nullptr);
    if (!denseNote.empty()) j["dense_note"] = denseNote;
    printJsonIfAsked(args, j);
    return 0;
}

}  // namespace

int runBench(const std::vector<std::string>& args) {
    if (args.empty()) throw std::invalid_argument("usage: aqlm bench matvec|generate [options] (see aqlm --help)");
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "matvec") return runBenchMatvec(rest);
    if (args[0] == "generate") return runBenchGenerate(rest);
    throw std::invalid_argument("unknown benchmark '" + args[0] + "' (matvec or generate)");
}

}  // namespace aqlm::cli
