// The kernels of half_isa_kernels_impl.inc compiled for scalar (flags set per file in engine/CMakeLists.txt).
#define AQLM_HALF_ISA_NS half_isa_scalar
#define AQLM_HALF_ISA_NAME "scalar"
#define AQLM_HALF_ISA_GETTER scalarHalfKernels
#include "engine/layers/kernels/half_isa_kernels_impl.inc"
