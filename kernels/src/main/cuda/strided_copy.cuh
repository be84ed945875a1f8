// dst[i . dstStrides] (=|+=) src[i . srcStrides] over a shape of rank <= SG_MAX_RANK
// (sonogate.kernels.StridedCopy). The dims are split by the host into "kept" dims (dst stride
// != 0) and "reduced" dims (dst stride 0, size > 1): one thread owns one dst element, walks the
// reduced dims in row-major order and adds them (accumulate) or keeps the last one (copy), so no
// two threads write one element and the result does not depend on scheduling (no atomics).
// Requirement (true of every view the engine makes): distinct kept indices address distinct dst
// elements.
#pragma once
#include "common.cuh"

struct sg_layout {
    int rank;                  // dims in size/src/dst, row-major order
    int pad;
    sg_index size[SG_MAX_RANK];
    sg_index src[SG_MAX_RANK];
    sg_index dst[SG_MAX_RANK];
};

// Source offset of flat index r over a layout (row-major), added to base.
SG_HD sg_index sg_layout_offset(const sg_layout& l, sg_index r, const sg_index* strides, sg_index base) {
    for (int d = l.rank - 1; d >= 0; d--) {
        sg_index q = r / l.size[d], idx = r - q * l.size[d];
        r = q;
        base += idx * strides[d];
    }
    return base;
}

SG_HD sg_index sg_layout_count(const sg_layout& l) {
    sg_index n = 1;
    for (int d = 0; d < l.rank; d++) n *= l.size[d];
    return n;
}

// kept: the dims with dst stride != 0; reduced: dst stride 0 (their dst strides are ignored).
SG_HD void sg_strided_copy_at(sg_index i, const sg_layout& kept, const sg_layout& reduced, const float* src,
                              sg_index srcOff, float* dst, sg_index dstOff, int accumulate) {
    sg_index s0 = sg_layout_offset(kept, i, kept.src, srcOff);
    sg_index d = sg_layout_offset(kept, i, kept.dst, dstOff);
    sg_index m = sg_layout_count(reduced);
    if (accumulate) {
        float acc = dst[d];
        for (sg_index r = 0; r < m; r++) acc += src[sg_layout_offset(reduced, r, reduced.src, s0)];
        dst[d] = acc;
    } else {
        dst[d] = src[sg_layout_offset(reduced, m - 1, reduced.src, s0)];
    }
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_strided_copy(sg_layout kept, sg_layout reduced, const float* src, sg_index srcOff,
                                           float* dst, sg_index dstOff, int accumulate) {
    sg_index total = sg_layout_count(kept);
    SG_GRID_LOOP(i, total) sg_strided_copy_at(i, kept, reduced, src, srcOff, dst, dstOff, accumulate);
}
#endif
