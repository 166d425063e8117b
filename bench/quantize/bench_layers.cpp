// bench_layers: the AQLM layer quantizer on real layers, side by side with the reference implementation.
//
//   bench_layers dump MODEL --calib FILE --out DIR [--nsamples N] [--seq-len L] [--block B] [--only NAME]
//       Runs the calibration windows through the original model up to block B and writes each linear's
//       W (fp32) and H = X^T X / N (fp64) as raw little-endian files plus DIR/manifest.json, the inputs
//       bench/quantize/reference_layers.py feeds to the reference implementation.
//   bench_layers run DIR --scheme 2x8g8 [--max-epochs E] [--steps S] [--lr X] [--tolerance T]
//       [--codebook-update adam|exact] [--beam B] [--threads N] [--only NAME] [--solver-iterations N]
//       [--kmeans-points N] [--kmeans-iterations N]
//       Quantizes every dumped layer; one JSON line per layer: seconds, rel_error, epochs.
// rel_error is tr((W - Ŵ) H (W - Ŵ)^T) / tr(W H W^T) with H in fp64, the same formula as the reference script.
#include "engine/model/model_loader.h"
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/quant/calibration.h"

#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace aqlm;

namespace {

std::map<std::string, std::string> parseFlags(int argc, char** argv, int first, std::vector<std::string>& positional) {
    std::map<std::string, std::string> flags;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0 && i + 1 < argc) flags[a.substr(2)] = argv[++i];
        else positional.push_back(a);
    }
    return flags;
}

void writeRaw(const fs::path& path, const at::Tensor& t) {
    auto c = t.contiguous();
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(c.data_ptr()), std::streamsize(c.numel() * c.element_size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

at::Tensor readRaw(const fs::path& path, std::vector<int64_t> shape, at::ScalarType type) {
    auto t = at::empty(shape, at::TensorOptions().dtype(type));
    std::ifstream in(path, std::ios::binary);
    in.read(static_cast<char*>(t.data_ptr()), std::streamsize(t.numel() * t.element_size()));
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return t;
}

int dump(const std::vector<std::string>& pos, std::map<std::string, std::string>& f) {
    if (pos.empty() || !f.count("calib") || !f.count("out")) {
        std::cerr << "usage: bench_layers dump MODEL --calib FILE --out DIR [--nsamples N] [--seq-len L] [--block B]\n";
        return 2;
    }
    c10::NoGradGuard noGrad;
    LoadedModel loaded = loadModel(pos[0]);
    LlamaModel& model = *loaded.model;
    const int64_t nsamples = f.count("nsamples") ? std::stoll(f["nsamples"]) : 128;
    const int64_t seqLen = f.count("seq-len") ? std::stoll(f["seq-len"]) : model.config().maxSeqLen;
    const int64_t block = f.count("block") ? std::stoll(f["block"]) : 0;
    const int64_t batch = 4;
    at::Tensor windows = sampleCalibrationWindows(*loaded.tokenizer, {f["calib"]}, nsamples, seqLen, 0);
    at::Tensor hidden = at::empty({nsamples, seqLen, model.config().dim});
    for (int64_t i = 0; i < nsamples; i += batch) {
        const int64_t n = std::min(batch, nsamples - i);
        hidden.narrow(0, i, n).copy_(model.embed(windows.narrow(0, i, n)));
    }
    for (int64_t b = 0; b < block; ++b) hidden = runBlock(model, b, hidden, batch);
    BlockStatistics stats = collectBlockStatistics(model, block, hidden, batch);
    fs::path out = f["out"];
    fs::create_directories(out);
    nlohmann::json manifest = {{"model", pos[0]}, {"block", block}, {"nsamples", nsamples}, {"seq_len", seqLen},
                               {"layers", nlohmann::json::array()}};
    for (Sublayer s : kAllSublayers) {
        const std::string name = sublayerName(s);
        if (f.count("only") && f["only"] != name) continue;
        at::Tensor w = model.block(block).linear(s)->denseWeight().to(at::kFloat);
        at::Tensor h = stats.hessians.at(s).to(at::kDouble);
        writeRaw(out / (name + ".W.f32"), w);
        writeRaw(out / (name + ".H.f64"), h);
        manifest["layers"].push_back({{"name", name}, {"d_out", w.size(0)}, {"d_in", w.size(1)}});
    }
    std::ofstream(out / "manifest.json") << manifest.dump(2);
    std::cout << "wrote " << manifest["layers"].size() << " layers to " << out << "\n";
    return 0;
}

int run(const std::vector<std::string>& pos, std::map<std::string, std::string>& f) {
    if (pos.empty() || !f.count("scheme")) {
        std::cerr << "usage: bench_layers run DIR --scheme S [--max-epochs E] [--steps S] [--codebook-update adam|exact]\n";
        return 2;
    }
    at::set_num_threads(f.count("threads") ? std::stoi(f["threads"]) : 2);
    const fs::path dir = pos[0];
    nlohmann::json manifest = nlohmann::json::parse(std::ifstream(dir / "manifest.json"));
    const QuantScheme scheme = QuantScheme::parse(f["scheme"]);
    AqlmLayerOptions o;
    if (f.count("max-epochs")) o.maxEpochs = std::stoi(f["max-epochs"]);
    if (f.count("steps")) o.stepsPerEpoch = std::stoi(f["steps"]);
    if (f.count("lr")) o.learningRate = std::stod(f["lr"]);
    if (f.count("tolerance")) o.relativeTolerance = std::stod(f["tolerance"]);
    if (f.count("beam")) o.beamSize = std::stoi(f["beam"]);
    if (f.count("kmeans-points")) o.kmeansMaxPoints = std::stoll(f["kmeans-points"]);
    if (f.count("kmeans-iterations")) o.kmeansIterations = std::stoi(f["kmeans-iterations"]);
    if (f.count("solver-iterations")) o.solverIterations = std::stoi(f["solver-iterations"]);
    if (f.count("codebook-update")) o.codebookUpdate = parseCodebookUpdate(f["codebook-update"]);
    double totalSeconds = 0;
    for (const auto& layer : manifest["layers"]) {
        const std::string name = layer["name"];
        if (f.count("only") && f["only"] != name) continue;
        const int64_t dOut = layer["d_out"], dIn = layer["d_in"];
        at::Tensor w = readRaw(dir / (name + ".W.f32"), {dOut, dIn}, at::kFloat);
        at::Tensor h = readRaw(dir / (name + ".H.f64"), {dIn, dIn}, at::kDouble);
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<double> epochSeconds;  // [0]: initialisation, [e]: epoch e
        auto last = t0;
        auto onEpoch = [&](int, double, double) {
            const auto now = std::chrono::steady_clock::now();
            epochSeconds.push_back(std::chrono::duration<double>(now - last).count());
            last = now;
        };
        AqlmLayerResult r = quantizeAqlmLayer(w, h.to(at::kFloat), scheme, o, onEpoch);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        totalSeconds += seconds;
        // Decode Ŵ[i, j*g:(j+1)*g] = s_i sum_m C[m, codes[i, j, m]].
        const int64_t M = r.codebooks.size(0), g = r.codebooks.size(3), J = dIn / g;
        auto codes = r.codes.to(at::kLong);
        auto V = at::zeros({dOut, J, g});
        for (int64_t m = 0; m < M; ++m) V += r.codebooks[m].squeeze(1).index_select(0, codes.select(2, m).reshape(-1)).view({dOut, J, g});
        auto What = V.reshape({dOut, dIn}) * r.scales.reshape({dOut, 1});
        const double rel = quantizationObjective(w, What, h) / quantizationObjective(w, at::zeros_like(w), h);
        nlohmann::json line = {{"layer", name}, {"d_out", dOut}, {"d_in", dIn}, {"seconds", seconds},
                               {"rel_error", rel}, {"epochs", r.epochs}, {"rel_per_epoch", r.relErrorPerEpoch},
                               {"epoch_seconds", epochSeconds}};
        std::cout << line.dump() << std::endl;
    }
    std::cout << nlohmann::json{{"total_seconds", totalSeconds}}.dump() << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: bench_layers dump|run ...\n";
        return 2;
    }
    std::vector<std::string> positional;
    auto flags = parseFlags(argc, argv, 2, positional);
    try {
        const std::string cmd = argv[1];
        if (cmd == "dump") return dump(positional, flags);
        if (cmd == "run") return run(positional, flags);
    } catch (const std::exception& e) {
        std::cerr << "bench_layers: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "unknown command " << argv[1] << "\n";
    return 2;
}
