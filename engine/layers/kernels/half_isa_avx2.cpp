// The kernels of half_isa_kernels_impl.inc compiled for avx2 (flags set per file in engine/CMakeLists.txt).
#define AQLM_HALF_ISA_NS half_isa_avx2
#define AQLM_HALF_ISA_NAME "avx2"
#define AQLM_HALF_ISA_GETTER avx2HalfKernels
#include "engine/layers/kernels/half_isa_kernels_impl.inc"
