#include "engine/layers/kernels/half_isa_kernels.h"

#include "engine/layers/kernels/isa_kernels.h"

#include <cstdlib>
#include <cstring>

namespace aqlm::kernels {

// Same choice and same AQLM_ISA override as isaKernels(), so one variable forces both kernel families.
const HalfKernels& halfKernels() {
    static const HalfKernels& chosen = []() -> const HalfKernels& {
        const char* forced = std::getenv("AQLM_ISA");
        const bool any = !forced || !*forced;
        if ((any || std::strcmp(forced, "avx512") == 0) && cpuSupports("avx512")) return avx512HalfKernels();
        if ((any || std::strcmp(forced, "avx512") == 0 || std::strcmp(forced, "avx2") == 0) && cpuSupports("avx2"))
            return avx2HalfKernels();
        return scalarHalfKernels();
    }();
    return chosen;
}

}  // namespace aqlm::kernels
