// bench_generate: fp32 prefill and decode tokens/s of real models, median of repeats.
// usage: bench_generate [--threads N] [--repeats R] [--prompt-tokens P] [--decode-tokens D] MODEL...
// Defaults to stories260K and reference-7M from AQLM_SHARED (../shared).
#include "engine/model/model_loader.h"
#include "engine/runtime/threads.h"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double seconds(std::chrono::steady_clock::time_point a) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 0, repeats = 5;
    int64_t promptTokens = 128, decodeTokens = 64;
    std::vector<std::string> models;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string("0"); };
        if (a == "--threads") threads = std::stoi(next());
        else if (a == "--repeats") repeats = std::max(1, std::stoi(next()));
        else if (a == "--prompt-tokens") promptTokens = std::stoll(next());
        else if (a == "--decode-tokens") decodeTokens = std::stoll(next());
        else models.push_back(a);
    }
    if (models.empty()) {
        const char* env = std::getenv("AQLM_SHARED");
        const std::string shared = env && *env ? env : "../shared";
        models = {shared + "/models/stories260K/stories260K.bin", shared + "/models/reference-7M/model.bin"};
    }
    threads = aqlm::setThreadCount(threads);
    c10::NoGradGuard noGrad;
    std::printf("bench_generate: fp32, %d threads, prompt %lld tokens, decode %lld tokens, median of %d\n",
                threads, static_cast<long long>(promptTokens), static_cast<long long>(decodeTokens), repeats);
    std::printf("%-48s %14s %14s %12s\n", "model", "prefill tok/s", "decode tok/s", "params");
    for (const auto& path : models) {
        try {
            auto loaded = aqlm::loadModel(path);
            const auto& model = *loaded.model;
            const int64_t ctx = model.config().maxSeqLen;
            const int64_t p = std::min(promptTokens, ctx / 2), d = std::min(decodeTokens, ctx - p);
            auto prompt = at::randint(3, model.config().vocabSize, {1, p}, at::kLong);
            std::vector<double> prefill, decode;
            for (int r = 0; r < repeats + 1; ++r) {  // first round warms up caches and allocators
                auto cache = model.makeCache(1, ctx);
                auto t0 = std::chrono::steady_clock::now();
                auto logits = model.forward(prompt, &cache);
                const double tp = seconds(t0);
                auto next = logits.select(1, p - 1).argmax(-1).view({1, 1});
                auto t1 = std::chrono::steady_clock::now();
                for (int64_t s = 0; s < d; ++s) next = model.forward(next, &cache).select(1, 0).argmax(-1).view({1, 1});
                const double td = seconds(t1);
                if (r == 0) continue;
                prefill.push_back(p / tp);
                decode.push_back(d / td);
            }
            std::printf("%-48s %14.1f %14.1f %12lld\n", path.substr(path.size() > 48 ? path.size() - 48 : 0).c_str(),
                        median(prefill), median(decode), static_cast<long long>(loaded.info.parameters));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
            return 1;
        }
    }
    return 0;
}
