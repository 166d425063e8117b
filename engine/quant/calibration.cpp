#include "engine/quant/calibration.h"

#include "engine/api/engine_error.h"
#include "engine/io/text_file.h"
#include "engine/quant/distributed_compression.h"

#include <c10/core/GradMode.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

namespace aqlm {
namespace {

// Delegates to the wrapped layer and writes X^T X of its input (fp32 GEMM) into a reused buffer;
// collectBlockStatistics adds each batch's product into the fp64 sums.
class RecordingLinear : public Linear {
public:
    RecordingLinear(std::unique_ptr<Linear> inner, at::Tensor* product) : m_inner(std::move(inner)), m_product(product) {}
    at::Tensor forward(const at::Tensor& x) const override {
        if (m_product) {
            auto flat = x.reshape({-1, x.size(-1)});
            at::mm_out(*m_product, flat.t(), flat);
        }
        return m_inner->forward(x);
    }
    at::Tensor denseWeight() const override { return m_inner->denseWeight(); }
    int64_t inFeatures() const override { return m_inner->inFeatures(); }
    int64_t outFeatures() const override { return m_inner->outFeatures(); }
    std::string describe() const override { return m_inner->describe(); }
    std::unique_ptr<Linear> release() { return std::move(m_inner); }

private:
    std::unique_ptr<Linear> m_inner;
    at::Tensor* m_product;
};

// fp64 accumulation of an fp32 product, element by element (no d x d fp64 temporaries: 1 GB at
// d = 11008), in row slices: a mixed-dtype add may stage a converted copy of its input.
void addWidening(at::Tensor& sum, const at::Tensor& product) {
    constexpr int64_t kRows = 512;
    for (int64_t r = 0; r < product.size(0); r += kRows) {
        const int64_t n = std::min(kRows, product.size(0) - r);
        sum.narrow(0, r, n).add_(product.narrow(0, r, n));
    }
}

int64_t batchCount(int64_t n, int64_t batch) { return (n + batch - 1) / batch; }

}  // namespace

at::Tensor sampleCalibrationWindows(const Tokenizer& tokenizer, const std::vector<std::string>& files,
                                    int64_t count, int64_t seqLen, uint64_t seed) {
    if (files.empty()) throw EngineError("", "no calibration text given", "choose one or more calibration text files");
    std::vector<int32_t> tokens;
    std::string names;
    for (const auto& file : files) {
        const auto ids = tokenizer.encode(readTextFile(file), /*addBos=*/true);
        tokens.insert(tokens.end(), ids.begin(), ids.end());
        names += (names.empty() ? "" : ", ") + file;
    }
    const int64_t n = static_cast<int64_t>(tokens.size());
    if (n < seqLen)
        throw EngineError(names, "calibration text has " + std::to_string(n) +
                                     " tokens, shorter than one window of " + std::to_string(seqLen),
                          "add more text or use a shorter calibration sequence length");
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> offset(0, n - seqLen);
    auto windows = at::empty({count, seqLen}, at::kLong);
    auto* out = windows.data_ptr<int64_t>();
    for (int64_t w = 0; w < count; ++w) {
        const int64_t start = offset(rng);
        for (int64_t t = 0; t < seqLen; ++t) out[w * seqLen + t] = tokens[static_cast<size_t>(start + t)];
    }
    return windows;
}

ActivationStore::ActivationStore(int64_t budgetBytes, std::string scratchDir)
    : m_budget(budgetBytes), m_dir(std::move(scratchDir)) {}

at::Tensor ActivationStore::allocate(const std::vector<int64_t>& shape) {
    int64_t numel = 1;
    for (int64_t d : shape) numel *= d;
    const int64_t bytes = numel * static_cast<int64_t>(sizeof(float));
    if (m_budget <= 0 || *m_inMemoryBytes + bytes <= m_budget) {
        // Counted while alive (the pipeline uses the store from one thread).
        auto* data = new float[static_cast<size_t>(numel)];
        *m_inMemoryBytes += bytes;
        std::shared_ptr<int64_t> live = m_inMemoryBytes;
        return at::from_blob(data, shape, [live, bytes](void* p) {
            delete[] static_cast<float*>(p);
            *live -= bytes;
        }, at::TensorOptions().dtype(at::kFloat));
    }
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    const std::string path = (std::filesystem::path(m_dir) / ("activations-" + std::to_string(m_files++) + ".bin")).string();
    {
        std::ofstream create(path, std::ios::binary | std::ios::trunc);
        if (!create) throw EngineError(path, "cannot create the scratch file for calibration data",
                                       "free disk space in the output folder or allow more memory for calibration");
    }
    std::filesystem::resize_file(path, static_cast<uintmax_t>(bytes), ec);
    if (ec) throw EngineError(path, "cannot size the scratch file for calibration data: " + ec.message(),
                              "free disk space in the output folder or allow more memory for calibration");
    m_spilledBytes += bytes;
    // A shared mapping of the file: pages go back to the file, not to swap, under memory pressure.
    at::Tensor mapped = at::from_file(path, /*shared=*/true, numel, at::TensorOptions().dtype(at::kFloat)).view(shape);
    std::filesystem::remove(path, ec);  // the mapping keeps the data; the space returns with it
    return mapped;
}

at::Tensor runBlock(const LlamaModel& model, int64_t layer, const at::Tensor& inputs, int64_t batch,
                    ActivationStore* store, ProcessGroup* group) {
    c10::NoGradGuard noGrad;
    at::Tensor outputs = store ? store->allocate(inputs.sizes().vec()) : at::empty(inputs.sizes(), at::kFloat);
    const int world = group ? group->worldSize() : 1, me = group ? group->rank() : 0;
    for (int64_t i = 0, index = 0; i < inputs.size(0); i += batch, ++index) {
        if (index % world != me) continue;
        const int64_t n = std::min(batch, inputs.size(0) - i);
        outputs.narrow(0, i, n).copy_(model.blockForward(layer, inputs.narrow(0, i, n), 0, nullptr));
    }
    if (group) shareBatches(*group, outputs, batch);
    return outputs;
}

namespace {

// Runs the batches of `inputs` (this rank's, with a group) through the block whose recorded linears
// write into `products`, adding every batch's products into `sums` in batch order.
at::Tensor runRecordedBatches(LlamaModel& model, int64_t layer, const at::Tensor& inputs, int64_t batch,
                              ActivationStore* store, ProcessGroup* group, std::map<Sublayer, at::Tensor>& products,
                              std::map<Sublayer, at::Tensor>& sums) {
    c10::NoGradGuard noGrad;
    at::Tensor outputs = store ? store->allocate(inputs.sizes().vec()) : at::empty(inputs.sizes(), at::kFloat);
    const int world = group ? group->worldSize() : 1, me = group ? group->rank() : 0;
    std::map<Sublayer, at::Tensor> received;  // another rank's products, one batch at a time
    if (group)
        for (auto& [s, p] : products) received[s] = at::empty_like(p);
    const int64_t batches = batchCount(inputs.size(0), batch);
    // Round k: rank r runs batch k * world + r; then all products of the round are summed in batch order.
    for (int64_t first = 0; first < batches; first += world) {
        if (const int64_t mine = first + me; mine < batches) {
            const int64_t n = std::min(batch, inputs.size(0) - mine * batch);
            outputs.narrow(0, mine * batch, n).copy_(model.blockForward(layer, inputs.narrow(0, mine * batch, n), 0, nullptr));
        }
        for (int r = 0; r < world && first + r < batches; ++r)
            for (auto& [s, product] : products) {
                at::Tensor& shared = r == me ? product : received[s];
                if (group) group->broadcast(shared, r);
                addWidening(sums[s], shared);
            }
    }
    if (group) shareBatches(*group, outputs, batch);
    return outputs;
}

}  // namespace

BlockStatistics collectBlockStatistics(LlamaModel& model, int64_t layer, const at::Tensor& inputs, int64_t batch,
                                       ActivationStore* store, ProcessGroup* group) {
    LlamaBlock& block = model.block(layer);
    // q/k/v read the same normed input, as do gate/up: record it once for each group.
    std::map<Sublayer, at::Tensor> sums, products;
    const Sublayer recorded[] = {Sublayer::Q, Sublayer::O, Sublayer::Gate, Sublayer::Down};
    for (Sublayer s : recorded) {
        const int64_t d = block.linear(s)->inFeatures();
        sums[s] = at::zeros({d, d}, at::kDouble);
        products[s] = at::empty({d, d}, at::kFloat);
    }
    for (Sublayer s : kAllSublayers)
        block.linear(s) = std::make_unique<RecordingLinear>(std::move(block.linear(s)),
                                                            products.count(s) ? &products[s] : nullptr);
    BlockStatistics stats;
    try {
        stats.outputs = runRecordedBatches(model, layer, inputs, batch, store, group, products, sums);
    } catch (...) {
        for (Sublayer s : kAllSublayers) block.linear(s) = static_cast<RecordingLinear&>(*block.linear(s)).release();
        throw;
    }
    for (Sublayer s : kAllSublayers) block.linear(s) = static_cast<RecordingLinear&>(*block.linear(s)).release();
    // Every recorded input has one row per token of every window. In place: a second d x d fp64 copy
    // per input would double this stage's memory.
    const double rows = static_cast<double>(std::max<int64_t>(inputs.size(0) * inputs.size(1), 1));
    auto h = [&](Sublayer s) { return sums[s].div_(rows); };
    stats.hessians[Sublayer::Q] = stats.hessians[Sublayer::K] = stats.hessians[Sublayer::V] = h(Sublayer::Q);
    stats.hessians[Sublayer::O] = h(Sublayer::O);
    stats.hessians[Sublayer::Gate] = stats.hessians[Sublayer::Up] = h(Sublayer::Gate);
    stats.hessians[Sublayer::Down] = h(Sublayer::Down);
    return stats;
}

}  // namespace aqlm
