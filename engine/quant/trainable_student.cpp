#include "engine/quant/trainable_student.h"

#include "engine/api/engine_error.h"
#include "engine/layers/aqlm_linear.h"

#include <c10/core/GradMode.h>

#include <map>

namespace aqlm {
namespace {

// y = x Ŵ^T with the layer's current decoded weight (a leaf: its gradient is dL/dŴ).
class DecodedWeightLinear : public Linear {
public:
    explicit DecodedWeightLinear(const TrainableAqlmLayer* layer) : m_layer(layer) {}
    at::Tensor forward(const at::Tensor& x) const override { return at::linear(x, m_layer->weight); }
    at::Tensor denseWeight() const override { return m_layer->weight.detach(); }
    int64_t inFeatures() const override { return m_layer->weight.size(1); }
    int64_t outFeatures() const override { return m_layer->weight.size(0); }
    std::string describe() const override { return "aqlm (fine-tuning)"; }

private:
    const TrainableAqlmLayer* m_layer;
};

// A dense fp32 weight (possibly trainable), differentiable in its input.
class TensorLinear : public Linear {
public:
    explicit TensorLinear(at::Tensor weight) : m_weight(std::move(weight)) {}
    at::Tensor forward(const at::Tensor& x) const override { return at::linear(x, m_weight); }
    at::Tensor denseWeight() const override { return m_weight.detach(); }
    int64_t inFeatures() const override { return m_weight.size(1); }
    int64_t outFeatures() const override { return m_weight.size(0); }
    std::string describe() const override { return "dense fp32 (fine-tuning)"; }

private:
    at::Tensor m_weight;
};

}  // namespace

void TrainableAqlmLayer::decode() {
    c10::NoGradGuard noGrad;
    weight = aqlmDecode(codes, codebooks.detach(), scales.detach()).requires_grad_(true);
}

TrainableStudent::TrainableStudent(LlamaModel& model, bool trainEmbeddings, bool withBuffers)
    : m_model(model), m_trainEmbeddings(trainEmbeddings) {
    c10::NoGradGuard noGrad;
    auto addParam = [&](const std::string& name, const at::Tensor& value) {
        at::Tensor p = value.detach().to(at::kFloat).clone().requires_grad_(true);
        m_params.push_back({name, p, AdamMoments(p)});
        return p;
    };
    for (int64_t b = 0; b < model.numBlocks(); ++b)
        for (Sublayer s : kAllSublayers)
            if (!dynamic_cast<const AqlmLinear*>(model.block(b).linear(s).get()))
                throw EngineError("", "model.layers." + std::to_string(b) + "." + sublayerName(s) +
                                          " is not an AQLM layer: only AQLM models can be fine-tuned",
                                  "choose a model compressed with AQLM");
    m_layers.reserve(static_cast<size_t>(model.numBlocks()) * kAllSublayers.size());
    for (int64_t b = 0; b < model.numBlocks(); ++b) {
        LlamaBlock& block = model.block(b);
        const std::string prefix = "model.layers." + std::to_string(b) + ".";
        for (Sublayer s : kAllSublayers) {
            const auto& aqlm = static_cast<const AqlmLinear&>(*block.linear(s));
            TrainableAqlmLayer layer;
            layer.name = prefix + sublayerName(s);
            layer.block = b;
            layer.sublayer = s;
            layer.scheme = aqlm.scheme();
            layer.codes = aqlm.codes().to(at::kLong).contiguous();
            layer.codebooks = addParam(layer.name + ".codebooks", aqlm.codebooks());
            layer.scales = addParam(layer.name + ".scales", aqlm.scales());
            m_layers.push_back(std::move(layer));
            TrainableAqlmLayer& added = m_layers.back();
            added.decode();
            if (withBuffers) {
                added.buffer = added.weight.detach().clone();
                added.bufferMoments = std::make_unique<AdamMoments>(added.buffer);
            }
            block.linear(s) = std::make_unique<DecodedWeightLinear>(&added);
        }
        block.attnNorm = addParam(prefix + "input_layernorm.weight", block.attnNorm);
        block.ffnNorm = addParam(prefix + "post_attention_layernorm.weight", block.ffnNorm);
    }
    model.mutableFinalNorm() = addParam("model.norm.weight", model.finalNorm());
    // The classifier must be differentiable in its input: fp32 copies of 16-bit tables.
    m_originalEmbedding = model.embedding();
    model.mutableEmbedding() = trainEmbeddings ? addParam("model.embed_tokens.weight", m_originalEmbedding)
                                               : m_originalEmbedding.to(at::kFloat).contiguous();
    if (model.lmHead()) {
        m_originalHead = std::move(model.mutableLmHead());
        const at::Tensor w = m_originalHead->denseWeight();
        model.mutableLmHead() = std::make_unique<TensorLinear>(trainEmbeddings ? addParam("lm_head.weight", w) : w);
    }
}

TrainableStudent::~TrainableStudent() {
    if (!m_finished) {
        try {
            finish();
        } catch (...) {
        }
    }
}

int64_t TrainableStudent::codeGroups() const {
    int64_t n = 0;
    for (const auto& l : m_layers) n += l.codeGroups();
    return n;
}

void TrainableStudent::beginStep() {
    for (auto& p : m_params) p.param.mutable_grad() = at::Tensor();
    for (auto& l : m_layers) l.decode();
}

void TrainableStudent::propagateToParameters() {
    c10::AutoGradMode enable(true);
    for (auto& l : m_layers) {
        const at::Tensor g = l.weight.grad();
        if (!g.defined()) continue;
        aqlmDecode(l.codes, l.codebooks, l.scales).backward(g);
    }
}

void TrainableStudent::adamStep(const AdamSettings& settings, int64_t step) {
    c10::NoGradGuard noGrad;
    for (auto& p : m_params) {
        const at::Tensor g = p.param.grad();
        if (!g.defined()) continue;
        p.moments.update(p.param, g, settings, step);
    }
}

std::vector<std::pair<std::string, at::Tensor>> TrainableStudent::modelState() {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (auto& l : m_layers) out.emplace_back(l.name + ".codes", l.codes);
    for (auto& p : m_params) out.emplace_back(p.name, p.param);
    return out;
}

std::vector<std::pair<std::string, at::Tensor>> TrainableStudent::state() {
    auto out = modelState();
    for (auto& p : m_params) {
        out.emplace_back(p.name + ".adam_m", p.moments.first());
        out.emplace_back(p.name + ".adam_v", p.moments.second());
    }
    for (auto& l : m_layers) {
        if (!l.buffer.defined()) continue;
        out.emplace_back(l.name + ".buffer", l.buffer);
        out.emplace_back(l.name + ".buffer.adam_m", l.bufferMoments->first());
        out.emplace_back(l.name + ".buffer.adam_v", l.bufferMoments->second());
    }
    return out;
}

void TrainableStudent::loadState(const std::vector<std::pair<std::string, at::Tensor>>& values) {
    c10::NoGradGuard noGrad;
    std::map<std::string, at::Tensor> live;
    for (auto& [name, t] : state()) live.emplace(name, t);
    for (const auto& [name, value] : values) {
        auto it = live.find(name);
        if (it == live.end()) throw EngineError("", "fine-tuning state has an unknown tensor " + name);
        if (!it->second.sizes().equals(value.sizes()))
            throw EngineError("", "fine-tuning state tensor " + name + " has the wrong shape");
        it->second.copy_(value);
    }
    for (auto& l : m_layers) l.decode();
}

void TrainableStudent::finish() {
    if (m_finished) return;
    m_finished = true;
    c10::NoGradGuard noGrad;
    for (auto& l : m_layers)
        m_model.block(l.block).linear(l.sublayer) =
            std::make_unique<AqlmLinear>(l.codes.to(at::kInt), l.codebooks.detach(), l.scales.detach(), l.scheme);
    for (int64_t b = 0; b < m_model.numBlocks(); ++b) {
        m_model.block(b).attnNorm = m_model.block(b).attnNorm.detach();
        m_model.block(b).ffnNorm = m_model.block(b).ffnNorm.detach();
    }
    m_model.mutableFinalNorm() = m_model.finalNorm().detach();
    m_model.mutableEmbedding() = m_trainEmbeddings ? m_model.embedding().detach() : m_originalEmbedding;
    if (m_originalHead) {
        if (m_trainEmbeddings)
            m_model.mutableLmHead() = std::make_unique<DenseLinear>(m_model.lmHead()->denseWeight().contiguous());
        else
            m_model.mutableLmHead() = std::move(m_originalHead);
    }
}

}  // namespace aqlm
