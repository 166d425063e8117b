// IEEE 754 binary16 / bfloat16 <-> binary32 conversions, bit-exact and independent of F16C so that
// results do not depend on the build machine.
#include "engine/api/engine_error.h"
#include "engine/io/safetensors.h"

#include <cstring>

namespace aqlm {

namespace {

float bitsToFloat(uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

uint32_t floatToBits(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

// Tensor data in a mapped file need not be aligned for T, so elements are read with memcpy.
template <typename T>
T loadUnaligned(const uint8_t* p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

}  // namespace

float halfToFloat(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0x1f) return bitsToFloat(sign | 0x7f800000u | (mantissa << 13));  // inf / NaN
    if (exponent != 0) return bitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    if (mantissa == 0) return bitsToFloat(sign);  // signed zero
    // Subnormal half: every one is a normal float, so shift the leading 1 into the implicit bit.
    uint32_t floatExponent = 113;
    while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        --floatExponent;
    }
    return bitsToFloat(sign | (floatExponent << 23) | ((mantissa & 0x3ffu) << 13));
}

uint16_t floatToHalf(float f) {
    const uint32_t bits = floatToBits(f);
    const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7fffffffu;

    if (magnitude >= 0x7f800000u) {
        if (magnitude == 0x7f800000u) return sign | 0x7c00u;
        // NaN: keep the top payload bits; force a non-zero mantissa so it cannot turn into inf.
        uint32_t payload = (magnitude >> 13) & 0x3ffu;
        if (payload == 0) payload = 0x200u;
        return static_cast<uint16_t>(sign | 0x7c00u | payload);
    }
    // 65520 is halfway between 65504 (max half, odd mantissa) and 65536: ties-to-even gives inf.
    if (magnitude >= 0x477ff000u) return sign | 0x7c00u;

    if (magnitude >= 0x38800000u) {  // normal half range (>= 2^-14)
        uint32_t half = (magnitude - 0x38000000u) >> 13;  // rebias exponent 127 -> 15
        const uint32_t rest = magnitude & 0x1fffu;
        if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // carry into exponent is right
        return static_cast<uint16_t>(sign | half);
    }

    // Subnormal half: value = m * 2^-24. Below 2^-25 (exponent < 102) everything rounds to zero;
    // exactly 2^-25 is a tie that goes to the even value 0, which the general path below also gives.
    const uint32_t exponent = magnitude >> 23;
    if (exponent < 102) return sign;
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - exponent;  // 14..24
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t midpoint = 1u << (shift - 1);
    if (rest > midpoint || (rest == midpoint && (half & 1u))) ++half;  // may reach 0x400 = min normal
    return static_cast<uint16_t>(sign | half);
}

float bf16ToFloat(uint16_t b) { return bitsToFloat(static_cast<uint32_t>(b) << 16); }

std::vector<float> toFloat32(const TensorView& view) {
    const DType dtype = view.dtype;
    if (dtype != DType::F32 && dtype != DType::F16 && dtype != DType::BF16 && dtype != DType::F64)
        throw EngineError({}, "tensor '" + view.name + "' has dtype " + dtypeName(dtype) +
                                  ", which cannot be converted to float32 (not floating point)");
    const int64_t count = view.numel();
    if (count < 0 || static_cast<uint64_t>(count) * dtypeSize(dtype) != view.byteSize ||
        (view.byteSize > 0 && view.data == nullptr))
        throw EngineError({}, "tensor '" + view.name + "': data size does not match shape and dtype");

    std::vector<float> out(static_cast<size_t>(count));
    const uint8_t* p = view.data;
    switch (dtype) {
    case DType::F32:
        if (count > 0) std::memcpy(out.data(), p, view.byteSize);
        break;
    case DType::F16:
        for (size_t i = 0; i < out.size(); ++i) out[i] = halfToFloat(loadUnaligned<uint16_t>(p + 2 * i));
        break;
    case DType::BF16:
        for (size_t i = 0; i < out.size(); ++i) out[i] = bf16ToFloat(loadUnaligned<uint16_t>(p + 2 * i));
        break;
    default:  // F64
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = static_cast<float>(loadUnaligned<double>(p + 8 * i));
        break;
    }
    return out;
}

}  // namespace aqlm
