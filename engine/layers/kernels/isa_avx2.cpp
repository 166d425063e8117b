// The kernels of isa_kernels_impl.inc compiled for avx2 (flags set per file in engine/CMakeLists.txt).
#define AQLM_ISA_NS isa_avx2
#define AQLM_ISA_NAME "avx2"
#define AQLM_ISA_GETTER avx2Kernels
#include "engine/layers/kernels/isa_kernels_impl.inc"
