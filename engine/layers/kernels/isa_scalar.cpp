// The kernels of isa_kernels_impl.inc compiled for scalar (flags set per file in engine/CMakeLists.txt).
#define AQLM_ISA_NS isa_scalar
#define AQLM_ISA_NAME "scalar"
#define AQLM_ISA_GETTER scalarKernels
#include "engine/layers/kernels/isa_kernels_impl.inc"
