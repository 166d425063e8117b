#include "engine/model/model_loader.h"

#include "engine/api/engine_error.h"
#include "engine/io/hf_config.h"
#include "engine/io/llama2c_checkpoint.h"
#include "engine/io/safetensors.h"

#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

at::Tensor tensorFromView(const TensorView& view, const std::string& file) {
    std::vector<float> values = toFloat32(view);
    auto t = at::empty(view.shape, at::kFloat);
    if (static_cast<int64_t>(values.size()) != t.numel())
        throw EngineError(file, "tensor " + view.name + " has an inconsistent size");
    std::memcpy(t.data_ptr<float>(), values.data(), values.size() * sizeof(float));
    return t;
}

void expectShape(const std::string& file, const std::string& name, const std::vector<int64_t>& actual,
                 const std::vector<int64_t>& expected) {
    if (actual == expected) return;
    auto str = [](const std::vector<int64_t>& s) {
        std::string r = "[";
        for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
        return r + "]";
    };
    throw EngineError(file, "tensor " + name + " has shape " + str(actual) + " but the config implies " +
                                str(expected));
}

std::string firstMatch(const fs::path& dir, const std::string& prefix, const std::string& ext) {
    std::set<std::string> found;  // sorted for a deterministic choice
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ext) found.insert(entry.path().string());
    }
    return found.empty() ? std::string() : *found.begin();
}

// Per-layer expected shapes in HF naming.
std::vector<std::pair<std::string, std::vector<int64_t>>> expectedTensors(const ModelConfig& c) {
    std::vector<std::pair<std::string, std::vector<int64_t>>> out;
    const int64_t D = c.dim, F = c.hiddenDim, KV = c.kvDim();
    out.push_back({"model.embed_tokens.weight", {c.vocabSize, D}});
    out.push_back({"model.norm.weight", {D}});
    for (int64_t l = 0; l < c.nLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        out.push_back({p + "input_layernorm.weight", {D}});
        out.push_back({p + "post_attention_layernorm.weight", {D}});
        out.push_back({p + "self_attn.q_proj.weight", {D, D}});
        out.push_back({p + "self_attn.k_proj.weight", {KV, D}});
        out.push_back({p + "self_attn.v_proj.weight", {KV, D}});
        out.push_back({p + "self_attn.o_proj.weight", {D, D}});
        out.push_back({p + "mlp.gate_proj.weight", {F, D}});
        out.push_back({p + "mlp.up_proj.weight", {F, D}});
        out.push_back({p + "mlp.down_proj.weight", {D, F}});
    }
    return out;
}

using TensorGetter = std::function<at::Tensor(const std::string&)>;

std::unique_ptr<LlamaModel> assemble(const ModelConfig& c, const TensorGetter& get, bool hfRopeOrder) {
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < c.nLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        LlamaBlock b;
        b.attnNorm = get(p + "input_layernorm.weight");
        b.ffnNorm = get(p + "post_attention_layernorm.weight");
        at::Tensor wq = get(p + "self_attn.q_proj.weight");
        at::Tensor wk = get(p + "self_attn.k_proj.weight");
        if (hfRopeOrder) {
            wq = hfToInterleavedRows(wq, c.nHeads);
            wk = hfToInterleavedRows(wk, c.nKvHeads);
        }
        b.q = std::make_unique<DenseLinear>(wq);
        b.k = std::make_unique<DenseLinear>(wk);
        b.v = std::make_unique<DenseLinear>(get(p + "self_attn.v_proj.weight"));
        b.o = std::make_unique<DenseLinear>(get(p + "self_attn.o_proj.weight"));
        b.gate = std::make_unique<DenseLinear>(get(p + "mlp.gate_proj.weight"));
        b.up = std::make_unique<DenseLinear>(get(p + "mlp.up_proj.weight"));
        b.down = std::make_unique<DenseLinear>(get(p + "mlp.down_proj.weight"));
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (!c.tiedEmbeddings) head = std::make_unique<DenseLinear>(get("lm_head.weight"));
    return std::make_unique<LlamaModel>(c, get("model.embed_tokens.weight"), std::move(blocks),
                                        get("model.norm.weight"), std::move(head));
}

LoadedModel loadLlama2c(const std::string& path) {
    Llama2cCheckpoint checkpoint(path);
    const ModelConfig& c = checkpoint.config();
    auto get = [&](const std::string& name) {
        const auto& t = checkpoint.tensors().at(name);
        // Copy out of the mapping: the model must outlive the file.
        return at::from_blob(const_cast<float*>(t.data), t.shape, at::kFloat).clone();
    };
    LoadedModel loaded;
    loaded.model = assemble(c, get, /*hfRopeOrder=*/false);
    loaded.info.format = "llama2.c v0";
    loaded.info.dtype = "fp32";
    loaded.info.bytesOnDisk = static_cast<int64_t>(checkpoint.fileSize());
    return loaded;
}

// Maps tensor name -> shard file, from model.safetensors or a sharded index.
std::vector<std::string> safetensorsFiles(const fs::path& dir) {
    const fs::path single = dir / "model.safetensors";
    if (fs::exists(single)) return {single.string()};
    const fs::path index = dir / "model.safetensors.index.json";
    if (!fs::exists(index))
        throw EngineError(dir.string(), "no model.safetensors or model.safetensors.index.json",
                          "a Hugging Face model folder needs its weights in safetensors format");
    auto json = readJsonFile(index.string());
    if (!json.contains("weight_map") || !json["weight_map"].is_object())
        throw EngineError(index.string(), "missing \"weight_map\" object");
    std::set<std::string> shards;
    for (const auto& item : json["weight_map"].items()) {
        if (!item.value().is_string()) throw EngineError(index.string(), "weight_map entry " + item.key() + " is not a file name");
        shards.insert((dir / item.value().get<std::string>()).string());
    }
    return {shards.begin(), shards.end()};
}

LoadedModel loadHuggingFace(const fs::path& dir) {
    ModelConfig c = readHfConfigFile((dir / "config.json").string());
    std::vector<SafetensorsFile> files;
    int64_t bytes = 0;
    for (const auto& f : safetensorsFiles(dir)) {
        files.emplace_back(f);
        bytes += static_cast<int64_t>(fs::file_size(f));
    }
    std::string dtype;
    auto find = [&](const std::string& name) -> std::pair<const SafetensorsFile*, const TensorView*> {
        for (const auto& f : files)
            if (f.contains(name)) return {&f, &f.tensor(name)};
        return {nullptr, nullptr};
    };
    // An untied config without lm_head.weight fails in get() with the tensor's name.
    auto expected = expectedTensors(c);
    if (!c.tiedEmbeddings) expected.push_back({"lm_head.weight", {c.vocabSize, c.dim}});
    std::map<std::string, std::vector<int64_t>> expectedShape(expected.begin(), expected.end());

    auto get = [&](const std::string& name) {
        auto [file, view] = find(name);
        if (!file)
            throw EngineError(dir.string(), "tensor " + name + " is missing from the safetensors files");
        expectShape(file->path(), name, view->shape, expectedShape.at(name));
        if (dtype.empty()) dtype = dtypeName(view->dtype);
        return tensorFromView(*view, file->path());
    };
    LoadedModel loaded;
    loaded.model = assemble(c, get, /*hfRopeOrder=*/true);
    loaded.info.format = "hf safetensors";
    loaded.info.dtype = dtype == "F16" ? "fp16" : dtype == "BF16" ? "bf16" : dtype == "F32" ? "fp32" : dtype;
    loaded.info.bytesOnDisk = bytes;
    return loaded;
}

}  // namespace

at::Tensor hfToInterleavedRows(const at::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, 2, rows / heads / 2, cols}).transpose(1, 2).reshape({rows, cols});
}

at::Tensor interleavedToHfRows(const at::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, rows / heads / 2, 2, cols}).transpose(1, 2).reshape({rows, cols});
}

ModelFormat detectModelFormat(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (fs::exists(fs::path(path) / "config.json")) return ModelFormat::HuggingFace;
        throw EngineError(path, "folder has no config.json", "expected a Hugging Face model folder");
    }
    if (!fs::exists(path, ec)) throw EngineError(path, "no such file or folder");
    if (Llama2cCheckpoint::looksLikeCheckpoint(path)) return ModelFormat::Llama2c;
    throw EngineError(path, "not a recognised model (neither a llama2.c .bin checkpoint nor a "
                            "Hugging Face folder)");
}

std::string findTokenizerFor(const std::string& modelPath) {
    std::error_code ec;
    const fs::path p(modelPath);
    const fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path().empty() ? fs::path(".") : p.parent_path();
    for (const char* name : {"tokenizer.model", "tokenizer.bin"})
        if (fs::exists(dir / name, ec)) return (dir / name).string();
    if (auto m = firstMatch(dir, "tok", ".model"); !m.empty()) return m;
    return firstMatch(dir, "tok", ".bin");
}

LoadedModel loadModel(const std::string& path, const LoadOptions& options) {
    const ModelFormat format = detectModelFormat(path);
    LoadedModel loaded = format == ModelFormat::Llama2c ? loadLlama2c(path) : loadHuggingFace(path);
    const ModelConfig& c = loaded.model->config();

    const std::string tokPath = options.tokenizerPath.empty() ? findTokenizerFor(path) : options.tokenizerPath;
    if (tokPath.empty())
        throw EngineError(path, "no tokenizer found beside the model",
                          "expected tokenizer.model, tokenizer.bin or tok*.bin; or pass --tokenizer");
    loaded.tokenizer = loadTokenizer(tokPath, static_cast<int32_t>(c.vocabSize));
    if (loaded.tokenizer->vocabSize() != c.vocabSize)
        throw EngineError(tokPath, "tokenizer has " + std::to_string(loaded.tokenizer->vocabSize()) +
                                       " pieces but the model's vocabulary is " + std::to_string(c.vocabSize));

    ModelInfo& info = loaded.info;
    info.path = path;
    info.architecture = c.architecture;
    info.dim = c.dim;
    info.hiddenDim = c.hiddenDim;
    info.nLayers = c.nLayers;
    info.nHeads = c.nHeads;
    info.nKvHeads = c.nKvHeads;
    info.vocabSize = c.vocabSize;
    info.contextLength = c.maxSeqLen;
    info.tiedEmbeddings = c.tiedEmbeddings;
    info.ropeTheta = c.ropeTheta;
    info.rmsNormEps = c.rmsNormEps;
    info.parameters = loaded.model->parameterCount();
    info.tokenizer = loaded.tokenizer->describe();
    return loaded;
}

}  // namespace aqlm
