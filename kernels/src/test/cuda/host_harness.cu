// Runs the CUDA kernels' per-element __host__ __device__ functions on the CPU, one "thread" after
// another, so CudaHostMathTest can compare the kernels' formulas and index arithmetic with the Java
// kernels without a GPU. The reductions' block structure (chunks, per-thread shares, fixed tree) is
// replayed here in the same order. Compiled by the test with nvcc (or g++ as plain C++).
//
// usage: host_harness OP < request > reply
//   request: i32 nInts, i64 ints[nInts], i32 nDoubles, f64 doubles[nDoubles],
//            i32 nArrays, then per array: i64 byteLength, bytes (floats, or packed structs)
//   reply:   i32 nArrays, then per array: i32 elementBytes (4 float, 8 double), i64 count, data
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string>
#include <vector>

#include "../../main/cuda/gating.cuh"
#include "../../main/cuda/elementwise.cuh"
#include "../../main/cuda/strided_copy.cuh"
#include "../../main/cuda/reduce.cuh"
#include "../../main/cuda/softmax.cuh"
#include "../../main/cuda/upsample.cuh"
#include "../../main/cuda/im2col.cuh"
#include "../../main/cuda/adam.cuh"

static void readExact(void* p, size_t n) {
    if (fread(p, 1, n, stdin) != n) { fprintf(stderr, "harness: short read\n"); exit(3); }
}

struct Request {
    std::vector<long long> ints;
    std::vector<double> doubles;
    std::vector<std::vector<char>> arrays;
    float* f(int k) { return arrays[k].empty() ? nullptr : (float*)arrays[k].data(); }
    long long count(int k) { return (long long)arrays[k].size() / 4; }
    // A packed struct from Java (KernelStructs): its size must be the C compiler's.
    template <typename T> T as(int k) {
        if (arrays[k].size() != sizeof(T)) { fprintf(stderr, "harness: struct of %zu bytes, C has %zu\n", arrays[k].size(), sizeof(T)); exit(4); }
        T v;
        memcpy(&v, arrays[k].data(), sizeof(T));
        return v;
    }
};

static Request readRequest() {
    Request r;
    int n;
    readExact(&n, 4);
    r.ints.resize(n);
    if (n) readExact(r.ints.data(), 8 * n);
    readExact(&n, 4);
    r.doubles.resize(n);
    if (n) readExact(r.doubles.data(), 8 * n);
    readExact(&n, 4);
    r.arrays.resize(n);
    for (int i = 0; i < n; i++) {
        long long len;
        readExact(&len, 8);
        r.arrays[i].resize(len);
        if (len) readExact(r.arrays[i].data(), len);
    }
    return r;
}

struct Reply {
    std::vector<std::pair<int, std::vector<char>>> arrays;
    void floats(const float* p, long long n) { add(4, p, n * 4); }
    void doubles(const double* p, long long n) { add(8, p, n * 8); }
    void add(int size, const void* p, long long bytes) {
        std::vector<char> v(bytes);
        memcpy(v.data(), p, bytes);
        arrays.push_back({size, v});
    }
    void write() {
        int n = (int)arrays.size();
        fwrite(&n, 4, 1, stdout);
        for (auto& a : arrays) {
            long long count = (long long)a.second.size() / a.first;
            fwrite(&a.first, 4, 1, stdout);
            fwrite(&count, 8, 1, stdout);
            fwrite(a.second.data(), 1, a.second.size(), stdout);
        }
        fflush(stdout);
    }
};

// The block's fixed tree of sg_block_sum, replayed.
static double treeSum(std::vector<double> v) {
    for (int s = SG_REDUCE_THREADS / 2; s > 0; s >>= 1)
        for (int t = 0; t < s; t++) v[t] += v[t + s];
    return v[0];
}

int main(int argc, char** argv) {
    if (argc != 2) { fprintf(stderr, "usage: host_harness OP < request > reply\n"); return 2; }
    std::string op = argv[1];
    Request q = readRequest();
    Reply out;
    std::vector<long long>& I = q.ints;
    std::vector<double>& D = q.doubles;
    if (op == "gate_forward") {            // ints elu n c hw; arrays x
        long long total = I[1] * I[2] * I[3];
        std::vector<float> y(total);
        for (long long i = 0; i < total; i++) sg_gate_forward_at(i, (int)I[0], (int)I[2], I[3], q.f(0), y.data());
        out.floats(y.data(), total);
    } else if (op == "gate_backward") {    // ints elu n c hw; arrays x dy dx
        long long total = I[1] * I[2] * I[3];
        for (long long i = 0; i < total; i++) sg_gate_backward_at(i, (int)I[0], (int)I[2], I[3], q.f(0), q.f(1), q.f(2));
        out.floats(q.f(2), q.count(2));
    } else if (op == "unary_forward") {    // ints op; doubles alpha; arrays x
        long long n = q.count(0);
        std::vector<float> y(n);
        for (long long i = 0; i < n; i++) sg_unary_forward_at(i, (int)I[0], (float)D[0], q.f(0), y.data());
        out.floats(y.data(), n);
    } else if (op == "unary_backward") {   // ints op; doubles alpha; arrays x y dy dx (x or y may be empty: null)
        long long n = q.count(3);
        for (long long i = 0; i < n; i++) sg_unary_backward_at(i, (int)I[0], (float)D[0], q.f(0), q.f(1), q.f(2), q.f(3));
        out.floats(q.f(3), n);
    } else if (op == "affine") {           // doubles scale shift; arrays x
        long long n = q.count(0);
        std::vector<float> y(n);
        for (long long i = 0; i < n; i++) sg_affine_at(i, (float)D[0], (float)D[1], q.f(0), y.data());
        out.floats(y.data(), n);
    } else if (op == "axpy") {             // doubles a; arrays x y
        long long n = q.count(0);
        for (long long i = 0; i < n; i++) sg_axpy_at(i, (float)D[0], q.f(0), q.f(1));
        out.floats(q.f(1), n);
    } else if (op == "binary4") {          // ints op aOff bOff; arrays shape(dims4) a as(dims4) b bs(dims4)
        sg_dims4 shape = q.as<sg_dims4>(0), as = q.as<sg_dims4>(2), bs = q.as<sg_dims4>(4);
        long long total = shape.v[0] * shape.v[1] * shape.v[2] * shape.v[3];
        std::vector<float> y(total);
        for (long long i = 0; i < total; i++) sg_binary_at(i, (int)I[0], shape, q.f(1), I[1], as, q.f(3), I[2], bs, y.data());
        out.floats(y.data(), total);
    } else if (op == "bias_act") {         // ints n c hw act; doubles alpha; arrays bias y
        long long total = I[0] * I[1] * I[2];
        for (long long i = 0; i < total; i++) sg_bias_act_at(i, (int)I[1], I[2], q.f(0), (int)I[3], (float)D[0], q.f(1));
        out.floats(q.f(1), total);
    } else if (op == "strided_copy") {     // ints srcOff dstOff accumulate; arrays kept(layout) reduced(layout) src dst
        sg_layout kept = q.as<sg_layout>(0), reduced = q.as<sg_layout>(1);
        long long total = sg_layout_count(kept);
        for (long long i = 0; i < total; i++) sg_strided_copy_at(i, kept, reduced, q.f(2), I[0], q.f(3), I[1], (int)I[2]);
        out.floats(q.f(3), q.count(3));
    } else if (op == "reduce") {           // ints kind; doubles sign; arrays a b  -> float result, double result
        long long n = q.count(0);
        long long blocks = sg_reduce_blocks(n);
        std::vector<double> partials(blocks);
        for (long long b = 0; b < blocks; b++) {
            long long lo = b * SG_REDUCE_CHUNK, hi = lo + SG_REDUCE_CHUNK < n ? lo + SG_REDUCE_CHUNK : n;
            std::vector<double> threads(SG_REDUCE_THREADS);
            for (int t = 0; t < SG_REDUCE_THREADS; t++) threads[t] = sg_reduce_thread((int)I[0], (float)D[0], q.f(0), q.f(1), lo, hi, t, SG_REDUCE_THREADS);
            partials[b] = treeSum(threads);
        }
        std::vector<double> threads(SG_REDUCE_THREADS, 0.0);
        for (int t = 0; t < SG_REDUCE_THREADS; t++)
            for (long long i = t; i < blocks; i += SG_REDUCE_THREADS) threads[t] += partials[i];
        double total = treeSum(threads);
        float f = (float)total;
        out.floats(&f, 1);
        out.doubles(&total, 1);
    } else if (op == "l1_backward") {      // doubles scale g; arrays a b da db
        float s = (float)(D[0] * (double)(float)D[1]);
        long long n = q.count(0);
        for (long long i = 0; i < n; i++) sg_l1_backward_at(i, s, q.f(0), q.f(1), q.f(2), q.f(3));
        out.floats(q.f(2), n);
        out.floats(q.f(3), n);
    } else if (op == "bias_grad") {        // ints n c hw; arrays dy dbias
        for (int ch = 0; ch < (int)I[1]; ch++) {
            std::vector<double> threads(SG_REDUCE_THREADS);
            for (int t = 0; t < SG_REDUCE_THREADS; t++) threads[t] = sg_bias_grad_thread((int)I[0], (int)I[1], I[2], q.f(0), ch, t, SG_REDUCE_THREADS);
            q.f(1)[ch] += (float)treeSum(threads);
        }
        out.floats(q.f(1), I[1]);
    } else if (op == "normalize") {        // doubles eps; arrays v
        long long n = q.count(0);
        std::vector<double> threads(SG_REDUCE_THREADS);
        for (int t = 0; t < SG_REDUCE_THREADS; t++) threads[t] = sg_sumsq_thread(n, q.f(0), t, SG_REDUCE_THREADS);
        float scale = sg_normalize_scale(treeSum(threads), D[0]);
        for (long long i = 0; i < n; i++) q.f(0)[i] = fmaf(q.f(0)[i], scale, 0.0f);
        out.floats(q.f(0), n);
    } else if (op == "softmax_forward") {  // ints outer axis inner; arrays x mask(empty: none)
        long long cols = I[0] * I[2];
        std::vector<float> y(q.count(0));
        for (long long c = 0; c < cols; c++) sg_softmax_column(c, (int)I[1], I[2], q.f(0), q.f(1), y.data());
        out.floats(y.data(), q.count(0));
    } else if (op == "softmax_backward") { // ints outer axis inner; arrays y dy dx
        long long cols = I[0] * I[2];
        for (long long c = 0; c < cols; c++) sg_softmax_backward_column(c, (int)I[1], I[2], q.f(0), q.f(1), q.f(2));
        out.floats(q.f(2), q.count(2));
    } else if (op == "upsample_forward") { // ints planes h w; arrays x
        long long total = I[0] * 4 * I[1] * I[2];
        std::vector<float> y(total);
        for (long long i = 0; i < total; i++) sg_upsample2x_forward_at(i, (int)I[1], (int)I[2], q.f(0), y.data());
        out.floats(y.data(), total);
    } else if (op == "upsample_backward") {// ints planes h w; arrays dy dx
        long long total = I[0] * I[1] * I[2];
        for (long long i = 0; i < total; i++) sg_upsample2x_backward_at(i, (int)I[1], (int)I[2], q.f(0), q.f(1));
        out.floats(q.f(1), total);
    } else if (op == "im2col") {           // arrays conv(struct) x
        sg_conv g = q.as<sg_conv>(0);
        long long total = (long long)g.n * g.c * g.k * g.k * g.oh * g.ow;
        std::vector<float> cols(total);
        for (long long i = 0; i < total; i++) sg_im2col_at(i, g, q.f(1), cols.data());
        out.floats(cols.data(), total);
    } else if (op == "col2im") {           // arrays conv(struct) cols x
        sg_conv g = q.as<sg_conv>(0);
        long long total = (long long)g.n * g.c * g.h * g.w;
        for (long long i = 0; i < total; i++) sg_col2im_at(i, g, q.f(1), q.f(2));
        out.floats(q.f(2), total);
    } else if (op == "adam") {             // doubles stepSize correction2 b1 b2 eps (floats); arrays p g m v
        long long n = q.count(0);
        for (long long i = 0; i < n; i++)
            sg_adam_at(i, (float)D[0], (float)D[1], (float)D[2], (float)D[3], (float)D[4], q.f(0), q.f(1), q.f(2), q.f(3));
        out.floats(q.f(0), n);
        out.floats(q.f(2), n);
        out.floats(q.f(3), n);
    } else {
        fprintf(stderr, "harness: unknown op %s\n", op.c_str());
        return 2;
    }
    out.write();
    return 0;
}
