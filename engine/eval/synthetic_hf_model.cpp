// Streaming writer of random Hugging Face Llama folders (see synthetic_hf_model.h).
#include "engine/eval/synthetic_hf_model.h"

#include "engine/api/engine_error.h"
#include "engine/io/atomic_file.h"
#include "engine/io/tokenizer.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace aqlm {

namespace {

namespace fs = std::filesystem;

constexpr double kWeightStd = 0.02;             // projections and embeddings, as HF's initializer_range
constexpr size_t kPieceValues = size_t(1) << 20;  // 2 MiB of 16-bit values per write: the whole buffer

const SyntheticHfShape kShapes[] = {
    // name        dim   hidden layers heads kv  ctx    rope_theta rms_eps
    {"llama2-7b", 4096, 11008, 32, 32, 32, 4096, 10000.0, 1e-5},
    {"llama3-8b", 4096, 14336, 32, 32, 8, 8192, 500000.0, 1e-5},
    {"mistral-7b", 4096, 14336, 32, 32, 8, 32768, 1000000.0, 1e-5},  // v0.2 / v0.3: full 32k context
    {"tinyllama", 2048, 5632, 22, 32, 4, 2048, 10000.0, 1e-5},
    {"tiny", 256, 688, 4, 8, 8, 512, 10000.0, 1e-5},
};

struct TensorPlan {
    TensorSpec spec;
    bool isNorm = false;  // filled with 1.0 instead of noise
    uint64_t bytes = 0;
};

std::vector<TensorPlan> planTensors(const SyntheticHfShape& s, int64_t vocab, DType dtype) {
    const int64_t kvDim = s.kvHeads * (s.dim / s.heads);
    std::vector<TensorPlan> plan;
    auto add = [&](std::string name, std::vector<int64_t> shape, bool isNorm = false) {
        uint64_t bytes = dtypeSize(dtype);
        for (int64_t d : shape) bytes *= static_cast<uint64_t>(d);
        plan.push_back({TensorSpec{std::move(name), dtype, std::move(shape)}, isNorm, bytes});
    };
    add("model.embed_tokens.weight", {vocab, s.dim});
    for (int64_t l = 0; l < s.layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        add(p + "input_layernorm.weight", {s.dim}, true);
        add(p + "self_attn.q_proj.weight", {s.dim, s.dim});
        add(p + "self_attn.k_proj.weight", {kvDim, s.dim});
        add(p + "self_attn.v_proj.weight", {kvDim, s.dim});
        add(p + "self_attn.o_proj.weight", {s.dim, s.dim});
        add(p + "post_attention_layernorm.weight", {s.dim}, true);
        add(p + "mlp.gate_proj.weight", {s.hiddenDim, s.dim});
        add(p + "mlp.up_proj.weight", {s.hiddenDim, s.dim});
        add(p + "mlp.down_proj.weight", {s.dim, s.hiddenDim});
    }
    add("model.norm.weight", {s.dim}, true);
    add("lm_head.weight", {vocab, s.dim});
    return plan;
}

uint16_t toStorage(float f, DType dtype) {
    if (dtype == DType::F16) return floatToHalf(f);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);  // round to nearest even
}

// Standard normal quantile by bisection of the CDF (called 65536 times once: speed is irrelevant).
double normalQuantile(double p) {
    double lo = -10.0, hi = 10.0;
    for (int i = 0; i < 80; ++i) {
        const double mid = 0.5 * (lo + hi);
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

// 65536 equally likely quantiles of N(0, stddev) in the storage format: a uniform 16-bit index then
// draws a normal sample (inverse-CDF sampling), four samples per 64-bit random number.
std::vector<uint16_t> normalTable(double stddev, DType dtype) {
    std::vector<uint16_t> table(65536);
    for (size_t i = 0; i < table.size(); ++i)
        table[i] = toStorage(static_cast<float>(stddev * normalQuantile((i + 0.5) / 65536.0)), dtype);
    return table;
}

uint64_t splitMix64(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void fillNormal(uint16_t* out, size_t count, const std::vector<uint16_t>& table, uint64_t& state) {
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        const uint64_t r = splitMix64(state);
        out[i] = table[r & 0xffff];
        out[i + 1] = table[(r >> 16) & 0xffff];
        out[i + 2] = table[(r >> 32) & 0xffff];
        out[i + 3] = table[r >> 48];
    }
    for (; i < count; ++i) out[i] = table[splitMix64(state) & 0xffff];
}

// Shard of every tensor: contiguous runs of about total / shards bytes each.
std::vector<int> assignShards(const std::vector<TensorPlan>& plan, int shards, uint64_t totalBytes) {
    std::vector<int> shardOf;
    uint64_t before = 0;
    for (const auto& t : plan) {
        const long double middle = before + t.bytes / 2.0L;
        shardOf.push_back(std::min(shards - 1, static_cast<int>(middle * shards / totalBytes)));
        before += t.bytes;
    }
    return shardOf;
}

std::string shardFileName(int shard, int shards) {
    if (shards == 1) return "model.safetensors";
    char name[64];
    std::snprintf(name, sizeof name, "model-%05d-of-%05d.safetensors", shard + 1, shards);
    return name;
}


void prepareFolder(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec)) throw EngineError(dir.string(), "exists and is not a folder");
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (name == "config.json" || entry.path().extension() == ".safetensors")
                throw EngineError(dir.string(), "already holds a model (" + name + ")",
                                  "choose a new folder or delete this one first");
        }
    }
    fs::create_directories(dir, ec);
    if (ec) throw EngineError(dir.string(), "cannot create the folder: " + ec.message());
}

void checkOptions(const SyntheticHfOptions& o) {
    const SyntheticHfShape& s = o.shape;
    if (o.dtype != DType::F16 && o.dtype != DType::BF16)
        throw std::invalid_argument("synthetic models are written in fp16 or bf16, not " + std::string(dtypeName(o.dtype)));
    if (s.layers <= 0) throw std::invalid_argument("the number of layers must be positive");
    if (o.shards <= 0) throw std::invalid_argument("the number of shards must be positive");
    if (s.dim <= 0 || s.heads <= 0 || s.kvHeads <= 0 || s.dim % s.heads != 0 || s.heads % s.kvHeads != 0)
        throw std::invalid_argument("shape " + s.name + ": dim, heads and kv heads do not divide");
    if (o.tokenizerFile.empty())
        throw EngineError("", "no tokenizer for the synthetic model", "choose a tokenizer file (a SentencePiece .model)");
    if (fs::path(o.tokenizerFile).extension() != ".model")
        throw EngineError(o.tokenizerFile, "is not a SentencePiece .model file",
                          "the folder gets it as tokenizer.model; choose a .model file");
}

}  // namespace

SyntheticHfShape syntheticHfShape(const std::string& name) {
    for (const auto& s : kShapes)
        if (s.name == name) return s;
    std::string known;
    for (const auto& n : syntheticHfShapeNames()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown synthetic shape '" + name + "' (known: " + known + ")");
}

std::vector<std::string> syntheticHfShapeNames() {
    std::vector<std::string> names;
    for (const auto& s : kShapes) names.push_back(s.name);
    return names;
}

SyntheticHfSummary writeSyntheticHfModel(const std::string& dirText, const SyntheticHfOptions& options,
                                         const std::function<void(uint64_t, uint64_t)>& progress) {
    checkOptions(options);
    const SyntheticHfShape& shape = options.shape;
    // The tokenizer decides the vocabulary: generate and perplexity need the two to agree.
    const auto tokenizer = loadTokenizer(options.tokenizerFile, 0);
    const int64_t vocab = tokenizer->vocabSize();
    const fs::path dir(dirText);
    prepareFolder(dir);

    const std::vector<TensorPlan> plan = planTensors(shape, vocab, options.dtype);
    SyntheticHfSummary summary;
    summary.vocabSize = vocab;
    for (const auto& t : plan) {
        summary.bytes += t.bytes;
        int64_t numel = 1;
        for (int64_t d : t.spec.shape) numel *= d;
        summary.parameters += numel;
    }
    if (static_cast<size_t>(options.shards) > plan.size())
        throw std::invalid_argument("--shards " + std::to_string(options.shards) + " is more than the " +
                                    std::to_string(plan.size()) + " tensors of this model");
    const std::vector<int> shardOf = assignShards(plan, options.shards, summary.bytes);

    const std::vector<uint16_t> table = normalTable(kWeightStd, options.dtype);
    const uint16_t one = toStorage(1.0f, options.dtype);
    std::vector<uint16_t> piece(kPieceValues);
    nlohmann::ordered_json weightMap = nlohmann::ordered_json::object();
    uint64_t written = 0;
    size_t next = 0;
    for (int shard = 0; shard < options.shards; ++shard) {
        const std::string fileName = shardFileName(shard, options.shards);
        std::vector<TensorSpec> specs;
        const size_t first = next;
        while (next < plan.size() && shardOf[next] == shard) specs.push_back(plan[next++].spec);
        if (specs.empty())
            throw std::invalid_argument("--shards " + std::to_string(options.shards) +
                                        " leaves a shard empty; use fewer shards");
        SafetensorsStreamWriter writer((dir / fileName).string(), specs, {{"format", "pt"}});
        for (size_t t = first; t < next; ++t) {
            // Each tensor has its own stream, so its bytes depend only on the seed and its position.
            uint64_t state = options.seed * 0x2545f4914f6cdd1dull + (t + 1) * 0x9e3779b97f4a7c15ull;
            uint64_t left = plan[t].bytes / 2;
            while (left > 0) {
                const size_t count = static_cast<size_t>(std::min<uint64_t>(left, kPieceValues));
                if (plan[t].isNorm) std::fill(piece.begin(), piece.begin() + count, one);
                else fillNormal(piece.data(), count, table, state);
                writer.append(piece.data(), count * 2);
                left -= count;
                written += count * 2;
                if (progress) progress(written, summary.bytes);
            }
            weightMap[plan[t].spec.name] = fileName;
        }
        writer.finish();
        summary.files.push_back(fileName);
    }
    if (options.shards > 1) {
        const nlohmann::ordered_json index{{"metadata", {{"total_size", summary.bytes}}}, {"weight_map", weightMap}};
        writeFileAtomically((dir / "model.safetensors.index.json").string(), index.dump(2) + "\n");
        summary.files.push_back("model.safetensors.index.json");
    }
    copyFileAtomically(options.tokenizerFile, (dir / "tokenizer.model").string());
    summary.files.push_back("tokenizer.model");

    const nlohmann::ordered_json config{
        {"architectures", {"LlamaForCausalLM"}},
        {"model_type", "llama"},
        {"hidden_size", shape.dim},
        {"intermediate_size", shape.hiddenDim},
        {"num_hidden_layers", shape.layers},
        {"num_attention_heads", shape.heads},
        {"num_key_value_heads", shape.kvHeads},
        {"vocab_size", vocab},
        {"max_position_embeddings", shape.maxPositions},
        {"rope_theta", shape.ropeTheta},
        {"rms_norm_eps", shape.rmsNormEps},
        {"hidden_act", "silu"},
        {"tie_word_embeddings", false},
        {"torch_dtype", options.dtype == DType::F16 ? "float16" : "bfloat16"},
        {"bos_token_id", tokenizer->bosId()},
        {"eos_token_id", tokenizer->eosId()},
        {"initializer_range", kWeightStd},
        {"aqlm_synthetic", {{"shape", shape.name}, {"seed", options.seed}}},
    };
    writeFileAtomically((dir / "config.json").string(), config.dump(2) + "\n");
    summary.files.push_back("config.json");
    return summary;
}

}  // namespace aqlm
