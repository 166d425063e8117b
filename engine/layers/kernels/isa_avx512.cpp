// The kernels of isa_kernels_impl.inc compiled for avx512 (flags set per file in engine/CMakeLists.txt).
#define AQLM_ISA_NS isa_avx512
#define AQLM_ISA_NAME "avx512"
#define AQLM_ISA_GETTER avx512Kernels
#include "engine/layers/kernels/isa_kernels_impl.inc"
