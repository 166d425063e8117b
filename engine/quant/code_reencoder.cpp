#include "engine/quant/code_reencoder.h"

#include "engine/api/engine_error.h"

#include <c10/core/GradMode.h>

#include <algorithm>

namespace aqlm {
namespace {

at::Tensor reencodeChunk(const at::Tensor& targets, const at::Tensor& books, const at::Tensor& norms,
                         const at::Tensor& initial, int64_t beam) {
    const int64_t n = targets.size(0), M = books.size(0), K = books.size(1), g = books.size(2);
    at::Tensor hyp = initial.to(at::kLong).unsqueeze(1).contiguous();  // [n, H, M]
    at::Tensor sums = at::zeros({n, 1, g}, targets.options());
    for (int64_t m = 0; m < M; ++m) sums = sums + at::embedding(books[m], hyp.select(2, m));
    const at::Tensor t = targets.unsqueeze(1);  // [n, 1, g]
    const int passes = M > 1 ? 2 : 1;
    for (int pass = 0; pass < passes; ++pass) {
        for (int64_t m = 0; m < M; ++m) {
            const int64_t H = hyp.size(1);
            const at::Tensor partial = sums - at::embedding(books[m], hyp.select(2, m));  // [n, H, g]
            const at::Tensor r = t - partial;
            // ||r - c_k||^2 = ||r||^2 - 2 <r, c_k> + ||c_k||^2   -> [n, H, K]
            const at::Tensor dist = r.pow(2).sum(-1, true) - 2 * at::matmul(r, books[m].t()) + norms[m];
            const int64_t keep = std::min<int64_t>(beam, H * K);
            const auto top = dist.reshape({n, H * K}).topk(keep, -1, /*largest=*/false, /*sorted=*/true);
            const at::Tensor index = std::get<1>(top);
            const at::Tensor parent = at::floor_divide(index, K);
            const at::Tensor choice = index.remainder(K);
            hyp = hyp.gather(1, parent.unsqueeze(-1).expand({n, keep, M})).clone();
            hyp.select(2, m).copy_(choice);
            sums = partial.gather(1, parent.unsqueeze(-1).expand({n, keep, g})) + at::embedding(books[m], choice);
        }
    }
    return hyp.select(1, 0).contiguous();
}

}  // namespace

at::Tensor reencodeNearest(const at::Tensor& targets, const at::Tensor& codebooks, const at::Tensor& initial,
                           int beamSize) {
    c10::NoGradGuard noGrad;
    const int64_t M = codebooks.size(0), K = codebooks.size(1), g = codebooks.size(3);
    if (targets.dim() != 2 || targets.size(1) != g || initial.dim() != 2 || initial.size(1) != M ||
        initial.size(0) != targets.size(0))
        throw EngineError("", "re-encoding needs targets [N, g] and codes [N, M] matching the codebooks");
    const int64_t n = targets.size(0);
    if (n == 0) return initial.to(at::kLong);
    const at::Tensor books = codebooks.detach().to(at::kFloat).reshape({M, K, g}).contiguous();
    const at::Tensor norms = books.pow(2).sum(-1);  // [M, K]
    const int64_t beam = std::max(1, beamSize);
    // About 4M candidate distances per chunk.
    const int64_t rowsPerChunk = std::max<int64_t>(1, (int64_t(1) << 22) / std::max<int64_t>(1, beam * K));
    const at::Tensor t = targets.detach().to(at::kFloat);
    at::Tensor out = at::empty({n, M}, at::kLong);
    for (int64_t i = 0; i < n; i += rowsPerChunk) {
        const int64_t rows = std::min(rowsPerChunk, n - i);
        out.narrow(0, i, rows).copy_(reencodeChunk(t.narrow(0, i, rows), books, norms, initial.narrow(0, i, rows), beam));
    }
    return out;
}

}  // namespace aqlm
