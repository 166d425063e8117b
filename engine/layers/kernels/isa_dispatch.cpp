#include "engine/layers/kernels/isa_kernels.h"

#include <cstdlib>
#include <cstring>

namespace aqlm::kernels {

int64_t lutTileGroups(int64_t M, int64_t K) {
    const int64_t t = 4096 / (M * K);
    return t < 1 ? 1 : t;
}

int64_t Packed8View::tileBytes(int64_t tile) const {
    const int64_t groupsInTile = groups - tile * tileGroups < tileGroups ? groups - tile * tileGroups : tileGroups;
    return groupsInTile * M * kRowBlock;
}

int64_t Packed8View::tileOffset(int64_t tile) const { return tile * tileGroups * M * kRowBlock * rowBlocks; }

bool cpuSupports(const char* isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (std::strcmp(isa, "avx512") == 0)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma") &&
               __builtin_cpu_supports("f16c");
    if (std::strcmp(isa, "avx2") == 0)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#endif
    return std::strcmp(isa, "scalar") == 0;
}

const IsaKernels& isaKernels() {
    static const IsaKernels& chosen = []() -> const IsaKernels& {
        const char* forced = std::getenv("AQLM_ISA");
        const bool any = !forced || !*forced;
        if ((any || std::strcmp(forced, "avx512") == 0) && cpuSupports("avx512")) return avx512Kernels();
        if ((any || std::strcmp(forced, "avx512") == 0 || std::strcmp(forced, "avx2") == 0) && cpuSupports("avx2"))
            return avx2Kernels();
        return scalarKernels();
    }();
    return chosen;
}

}  // namespace aqlm::kernels
