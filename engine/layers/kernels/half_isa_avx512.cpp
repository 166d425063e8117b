// The kernels of half_isa_kernels_impl.inc compiled for avx512 (flags set per file in engine/CMakeLists.txt).
#define AQLM_HALF_ISA_NS half_isa_avx512
#define AQLM_HALF_ISA_NAME "avx512"
#define AQLM_HALF_ISA_GETTER avx512HalfKernels
#include "engine/layers/kernels/half_isa_kernels_impl.inc"
