;; The fast kernels' WebAssembly SIMD module: for a unit of uint8 images (gathered from where they lie,
;; or staged), the logits over each image's nonzero 4-pixel groups, the softmax (stable or d2l's exp /
;; rowsum) with its loss, argmax and dlogits, and the weight gradient, 4 pixels by 10 classes at a time
;; over the rows whose 4 pixels are not all 0; then the minibatch SGD update of the parameters on the units' summed gradient, with d2l's L2
;; weight decay on W. core/kernels/fast.ts and the helper threads (core/kernels/wasm-simd/units.ts) drive it;
;; tests/core/kernels checks it against the plain reference. Assembled at build time by wabt
;; (node/tools/assemble-wat.ts) into kernels.wasm.gen.ts, in four builds: as written (relaxed SIMD's fused
;; multiply-add, a shared memory for the helper threads), and with f32x4.relaxed_madd / relaxed_nmadd
;; spelled as a multiply and an add, or an unshared memory, for engines or pages without those. Edit this
;; file, never that one.
;;
;; Legend (the shapes this code is unrolled for; the module exports D, K and KP, and module.ts refuses a
;; module whose shapes differ from core's):
;;   D   = 784   pixels per image = 49 blocks of 16 (one v128 of u8 = four f32x4 of pixels)
;;   K   = 10    classes
;;   KP  = 12    K padded to three f32x4: probs and dlogits rows are KP floats (48 bytes) apart
;;   ROW = 3136  bytes of one class row of wT or gradT (D f32)
;;   m           rows in the unit
;;
;; Buffers: every pointer is a byte offset into the imported memory. layout.ts places them and the drivers
;; pass them in, so no offset is written here.
;;   params  (D*K + K) f32  the caller's parameters, W (D, K) row-major then b: what loadParams reads and
;;                          sgdUpdate / storeGrad write
;;   wT      (K, D) f32    W transposed: a 4-pixel group meets one f32x4 of each class row (a 16-pixel block four)
;;   b       (KP) f32      lanes 10, 11 are 0
;;   gradT   (K, D) f32    d(sum loss)/dW transposed, accumulated across units of one gradient group, and
;;   gradB   (KP) f32      d(sum loss)/db right after it (a group is gradT then gradB, GROUP floats)
;;   masks   (m, 4) i64    per image, which of its 4-pixel groups hold a nonzero pixel (masksChunk)
;;   masksT  (196) i64     per 4-pixel group, which of the unit's rows hold a nonzero pixel there (masksTChunk)
;;   img     (m, D) u8     pixel bytes v; x = v / 255 is never formed: 1/255 is folded into the logits and
;;                         into dlogits instead (once per logit / per class, not once per pixel)
;;   logits  (m, K) f32    plus KP - K floats of slack that softmaxChunk reads (and masks)
;;   probs   (m, KP) f32   lanes 10, 11 are 0
;;   stats   (m, 4) f32    softmaxChunk's per-row scratch
;;   dlogits (m, KP) f32   (p - onehot) / 255
;;   labels  (m) i32
;;
;; Float32 sums throughout: within ~3e-7 relative of the reference, not bit for bit. Both the forward and
;; the backward skip 4-pixel groups that are all 0 (38% of Fashion-MNIST's; a skipped group would add w 0 or
;; 0 g = 0 exactly), with no branch per group: the forward walks each row's groups by bit masks
;; (masksChunk), the backward each group's rows by the transposed masks (masksTChunk), by
;; count-trailing-zeros. (The backward two rows at a time over every 16-pixel block that either row has
;; nonzero, read-modify-writing the gradient, measured 51 ms an epoch against 42 for this one with its masks.)

(module
  ;; One memory, made by module.ts with layout.ts's MEMORY_PAGES: shared by the helper threads (the
  ;; unshared build drops `shared`). It never grows, so JS views stay valid.
  (import "env" "mem" (memory 1 65536 shared))

  ;; The shapes the code below is written for.
  (global (export "D") i32 (i32.const 784))
  (global (export "K") i32 (i32.const 10))
  (global (export "KP") i32 (i32.const 12))

  ;; gatherRows(rows, m, dst): copies the m images at the byte addresses rows[0 .. m - 1] ((m) i32) one
  ;; after another to dst ((m, D) u8), for forwardChunk and backwardCols. A batch's rows lie anywhere in a 47
  ;; MB dataset: copied eight at a time, with nothing else in the loop, dozens of their cache lines are on
  ;; their way at once, and the kernels then read rows that are in the cache and in order. (Read where they
  ;; lay, each image cost a cache miss's wait inside the forward loop, which WebAssembly cannot prefetch: 34
  ;; ms an epoch for the forward, against 5 for this copy and 20 for the forward on the copies. Eight rows at
  ;; a time rather than four: 11-15% less time for the copy, in one process, taking turns; sixteen, no better.)
  (func (export "gatherRows") (param $rows i32) (param $m i32) (param $dst i32)
    (local $s i32) (local $o i32) (local $d i32) (local $l i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $a4 i32) (local $a5 i32) (local $a6 i32) (local $a7 i32)
    (block $done (loop $octets
      (br_if $done (i32.gt_u (i32.add (local.get $s) (i32.const 8)) (local.get $m)))
      (local.set $l (i32.add (local.get $rows) (i32.shl (local.get $s) (i32.const 2))))
      (local.set $a0 (i32.load offset=0 (local.get $l)))
      (local.set $a1 (i32.load offset=4 (local.get $l)))
      (local.set $a2 (i32.load offset=8 (local.get $l)))
      (local.set $a3 (i32.load offset=12 (local.get $l)))
      (local.set $a4 (i32.load offset=16 (local.get $l)))
      (local.set $a5 (i32.load offset=20 (local.get $l)))
      (local.set $a6 (i32.load offset=24 (local.get $l)))
      (local.set $a7 (i32.load offset=28 (local.get $l)))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $s) (i32.const 784))))
      (local.set $o (i32.const 0))
      (loop $blocks
        (v128.store offset=0 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a0) (local.get $o))))
        (v128.store offset=784 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a1) (local.get $o))))
        (v128.store offset=1568 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a2) (local.get $o))))
        (v128.store offset=2352 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a3) (local.get $o))))
        (v128.store offset=3136 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a4) (local.get $o))))
        (v128.store offset=3920 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a5) (local.get $o))))
        (v128.store offset=4704 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a6) (local.get $o))))
        (v128.store offset=5488 (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a7) (local.get $o))))
        (br_if $blocks (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (i32.const 784))))
      (local.set $s (i32.add (local.get $s) (i32.const 8)))
      (br $octets)))
    (block $end (loop $singles
      (br_if $end (i32.ge_u (local.get $s) (local.get $m)))
      (local.set $a0 (i32.load (i32.add (local.get $rows) (i32.shl (local.get $s) (i32.const 2)))))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $s) (i32.const 784))))
      (local.set $o (i32.const 0))
      (loop $blocks
        (v128.store (i32.add (local.get $d) (local.get $o)) (v128.load (i32.add (local.get $a0) (local.get $o))))
        (br_if $blocks (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (i32.const 784))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $singles))))

  ;; masksChunk(img0, m, masks): for each of the m images at img0 ((m, D) u8), which of its 196 groups of 4
  ;; pixels hold a nonzero pixel: bit j of the row's 4 i64 words (masks + 32 s, (m, 4) i64) for pixels
  ;; 4 j .. 4 j + 3, for forwardChunk.
  (func (export "masksChunk") (param $img0 i32) (param $m i32) (param $masks i32)
    (local $s i32) (local $img i32) (local $w i32) (local $out i32) (local $p i32)
    (if (i32.eqz (local.get $m)) (then (return)))
    (loop $rows
      (local.set $img (i32.add (local.get $img0) (i32.mul (local.get $s) (i32.const 784))))
      (local.set $out (i32.add (local.get $masks) (i32.shl (local.get $s) (i32.const 5))))
      ;; words 0..2: 64 groups each, 256 pixels = four quads of 64 pixels (16 groups, 16 bits)
      (local.set $w (i32.const 0))
      (loop $words
        (local.set $p (i32.add (local.get $img) (i32.shl (local.get $w) (i32.const 8))))
        (i64.store (i32.add (local.get $out) (i32.shl (local.get $w) (i32.const 3)))
          (i64.or
            (i64.or (call $quad (local.get $p)) (i64.shl (call $quad (i32.add (local.get $p) (i32.const 64))) (i64.const 16)))
            (i64.or (i64.shl (call $quad (i32.add (local.get $p) (i32.const 128))) (i64.const 32))
                    (i64.shl (call $quad (i32.add (local.get $p) (i32.const 192))) (i64.const 48)))))
        (br_if $words (i32.lt_u (local.tee $w (i32.add (local.get $w) (i32.const 1))) (i32.const 3))))
      ;; word 3: the last block's 4 groups (pixels 768 .. 783)
      (i64.store offset=24 (local.get $out) (i64.extend_i32_u (i32x4.bitmask (i32x4.ne (v128.load offset=768 (local.get $img)) (v128.const i32x4 0 0 0 0)))))
      (br_if $rows (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.const 1))) (local.get $m)))))

  ;; The 16 bits of the 16 4-pixel groups of the 64 pixels at $p: bit j set when group j holds a nonzero pixel.
  (func $quad (param $p i32) (result i64)
    (i64.extend_i32_u (i8x16.bitmask (i8x16.narrow_i16x8_s
      (i16x8.narrow_i32x4_s (i32x4.ne (v128.load offset=0 (local.get $p)) (v128.const i32x4 0 0 0 0))
                            (i32x4.ne (v128.load offset=16 (local.get $p)) (v128.const i32x4 0 0 0 0)))
      (i16x8.narrow_i32x4_s (i32x4.ne (v128.load offset=32 (local.get $p)) (v128.const i32x4 0 0 0 0))
                            (i32x4.ne (v128.load offset=48 (local.get $p)) (v128.const i32x4 0 0 0 0)))))))

  ;; forwardChunk(wT, b, img0, masks, m, out0): the logits (m, K) at out0 of the m images at img0, reading
  ;; only the groups of 4 pixels that masksChunk marked in their rows of masks (half of Fashion-MNIST's
  ;; pixels are 0, and 38% of its 4-pixel groups are all 0: 27% fewer multiply-adds than over every block of
  ;; 16 pixels that is not all 0; an epoch's forward 20.5 -> 14.3 ms, 16.9 with the masks).
  (func (export "forwardChunk") (param $wT i32) (param $b i32) (param $img0 i32) (param $masks i32) (param $m i32) (param $out0 i32)
    (local $s i32)
    (if (local.get $m) (then
      (loop $rows
        (call $forward
          (i32.add (local.get $img0) (i32.mul (local.get $s) (i32.const 784)))   ;; + s D
          (i32.add (local.get $masks) (i32.shl (local.get $s) (i32.const 5)))    ;; + s 4 words
          (local.get $wT) (local.get $b)
          (i32.add (local.get $out0) (i32.mul (local.get $s) (i32.const 40))))   ;; + s K floats
        (br_if $rows (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.const 1))) (local.get $m)))))))

  ;; The ten logits of one image: out[c] = b[c] + (1/255) sum_d v_d wT[c, d], class row c of wT at $w + c ROW,
  ;; over the 4-pixel groups j whose bit is set in the row's mask (4 i64 words; word w holds groups 64 w ..
  ;; 64 w + 63), found by count-trailing-zeros, so no branch per group but each word's last. One f32x4
  ;; accumulator per class, lanes the group's 4 pixels, reduced across lanes at the end: 10 accumulators, two
  ;; groups' pixels and a weight fit x86-64's 16 SIMD registers without spilling. Two groups a turn of the
  ;; loop (the second's adds after the first's, the order one at a time would take: the same bits), which
  ;; halves the loop's own work per group: 37.4 -> 34.6 ms an epoch. 1/255 is applied once per logit
  ;; rather than per pixel (float32 rounding then differs from the reference's by ~1 ulp); a skipped group
  ;; would have added w 0 = 0 exactly, for finite weights (loadParams checks).
  (func $forward (param $img i32) (param $mask i32) (param $w i32) (param $b i32) (param $out i32)
    (local $word i32) (local $bits i64) (local $j i32) (local $k i32) (local $wd i32) (local $we i32) (local $x v128) (local $y v128)
    (local $imgw i32) (local $ww i32)  ;; the word's first pixel and its class row 0 in wT
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)  ;; per class;
    (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $a8 v128) (local $a9 v128)  ;; locals start at 0
    (loop $words
      (local.set $bits (i64.load (i32.add (local.get $mask) (i32.shl (local.get $word) (i32.const 3)))))
      (local.set $imgw (i32.add (local.get $img) (i32.shl (local.get $word) (i32.const 8))))
      (local.set $ww (i32.add (local.get $w) (i32.shl (local.get $word) (i32.const 10))))
      (block $done (loop $groups
        (br_if $done (i64.eqz (local.get $bits)))
        (local.set $j (i32.wrap_i64 (i64.ctz (local.get $bits))))
        (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))  ;; that bit off
        (local.set $x (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
          (v128.load32_zero (i32.add (local.get $imgw) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $wd (i32.add (local.get $ww) (i32.shl (local.get $j) (i32.const 4))))
        (if (i64.eqz (local.get $bits)) (then
        (local.set $a0 (f32x4.relaxed_madd (v128.load offset=0 (local.get $wd)) (local.get $x) (local.get $a0)))
        (local.set $a1 (f32x4.relaxed_madd (v128.load offset=3136 (local.get $wd)) (local.get $x) (local.get $a1)))
        (local.set $a2 (f32x4.relaxed_madd (v128.load offset=6272 (local.get $wd)) (local.get $x) (local.get $a2)))
        (local.set $a3 (f32x4.relaxed_madd (v128.load offset=9408 (local.get $wd)) (local.get $x) (local.get $a3)))
        (local.set $a4 (f32x4.relaxed_madd (v128.load offset=12544 (local.get $wd)) (local.get $x) (local.get $a4)))
        (local.set $a5 (f32x4.relaxed_madd (v128.load offset=15680 (local.get $wd)) (local.get $x) (local.get $a5)))
        (local.set $a6 (f32x4.relaxed_madd (v128.load offset=18816 (local.get $wd)) (local.get $x) (local.get $a6)))
        (local.set $a7 (f32x4.relaxed_madd (v128.load offset=21952 (local.get $wd)) (local.get $x) (local.get $a7)))
        (local.set $a8 (f32x4.relaxed_madd (v128.load offset=25088 (local.get $wd)) (local.get $x) (local.get $a8)))
        (local.set $a9 (f32x4.relaxed_madd (v128.load offset=28224 (local.get $wd)) (local.get $x) (local.get $a9)))
          (br $done)))
        (local.set $k (i32.wrap_i64 (i64.ctz (local.get $bits))))
        (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
        (local.set $y (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
          (v128.load32_zero (i32.add (local.get $imgw) (i32.shl (local.get $k) (i32.const 2))))))))
        (local.set $we (i32.add (local.get $ww) (i32.shl (local.get $k) (i32.const 4))))
        (local.set $a0 (f32x4.relaxed_madd (v128.load offset=0 (local.get $wd)) (local.get $x) (local.get $a0)))
        (local.set $a1 (f32x4.relaxed_madd (v128.load offset=3136 (local.get $wd)) (local.get $x) (local.get $a1)))
        (local.set $a2 (f32x4.relaxed_madd (v128.load offset=6272 (local.get $wd)) (local.get $x) (local.get $a2)))
        (local.set $a3 (f32x4.relaxed_madd (v128.load offset=9408 (local.get $wd)) (local.get $x) (local.get $a3)))
        (local.set $a4 (f32x4.relaxed_madd (v128.load offset=12544 (local.get $wd)) (local.get $x) (local.get $a4)))
        (local.set $a5 (f32x4.relaxed_madd (v128.load offset=15680 (local.get $wd)) (local.get $x) (local.get $a5)))
        (local.set $a6 (f32x4.relaxed_madd (v128.load offset=18816 (local.get $wd)) (local.get $x) (local.get $a6)))
        (local.set $a7 (f32x4.relaxed_madd (v128.load offset=21952 (local.get $wd)) (local.get $x) (local.get $a7)))
        (local.set $a8 (f32x4.relaxed_madd (v128.load offset=25088 (local.get $wd)) (local.get $x) (local.get $a8)))
        (local.set $a9 (f32x4.relaxed_madd (v128.load offset=28224 (local.get $wd)) (local.get $x) (local.get $a9)))
        (local.set $a0 (f32x4.relaxed_madd (v128.load offset=0 (local.get $we)) (local.get $y) (local.get $a0)))
        (local.set $a1 (f32x4.relaxed_madd (v128.load offset=3136 (local.get $we)) (local.get $y) (local.get $a1)))
        (local.set $a2 (f32x4.relaxed_madd (v128.load offset=6272 (local.get $we)) (local.get $y) (local.get $a2)))
        (local.set $a3 (f32x4.relaxed_madd (v128.load offset=9408 (local.get $we)) (local.get $y) (local.get $a3)))
        (local.set $a4 (f32x4.relaxed_madd (v128.load offset=12544 (local.get $we)) (local.get $y) (local.get $a4)))
        (local.set $a5 (f32x4.relaxed_madd (v128.load offset=15680 (local.get $we)) (local.get $y) (local.get $a5)))
        (local.set $a6 (f32x4.relaxed_madd (v128.load offset=18816 (local.get $we)) (local.get $y) (local.get $a6)))
        (local.set $a7 (f32x4.relaxed_madd (v128.load offset=21952 (local.get $we)) (local.get $y) (local.get $a7)))
        (local.set $a8 (f32x4.relaxed_madd (v128.load offset=25088 (local.get $we)) (local.get $y) (local.get $a8)))
        (local.set $a9 (f32x4.relaxed_madd (v128.load offset=28224 (local.get $we)) (local.get $y) (local.get $a9)))
        (br $groups)))
      (br_if $words (i32.lt_u (local.tee $word (i32.add (local.get $word) (i32.const 1))) (i32.const 4))))
    ;; out[c] = b[c] + ((a_c.0 + a_c.1) + (a_c.2 + a_c.3)) * float32(1/255)
    (f32.store offset=0 (local.get $out) (f32.add (f32.load offset=0 (local.get $b)) (f32.mul (call $sum4 (local.get $a0)) (f32.const 0x1.010102p-8))))
    (f32.store offset=4 (local.get $out) (f32.add (f32.load offset=4 (local.get $b)) (f32.mul (call $sum4 (local.get $a1)) (f32.const 0x1.010102p-8))))
    (f32.store offset=8 (local.get $out) (f32.add (f32.load offset=8 (local.get $b)) (f32.mul (call $sum4 (local.get $a2)) (f32.const 0x1.010102p-8))))
    (f32.store offset=12 (local.get $out) (f32.add (f32.load offset=12 (local.get $b)) (f32.mul (call $sum4 (local.get $a3)) (f32.const 0x1.010102p-8))))
    (f32.store offset=16 (local.get $out) (f32.add (f32.load offset=16 (local.get $b)) (f32.mul (call $sum4 (local.get $a4)) (f32.const 0x1.010102p-8))))
    (f32.store offset=20 (local.get $out) (f32.add (f32.load offset=20 (local.get $b)) (f32.mul (call $sum4 (local.get $a5)) (f32.const 0x1.010102p-8))))
    (f32.store offset=24 (local.get $out) (f32.add (f32.load offset=24 (local.get $b)) (f32.mul (call $sum4 (local.get $a6)) (f32.const 0x1.010102p-8))))
    (f32.store offset=28 (local.get $out) (f32.add (f32.load offset=28 (local.get $b)) (f32.mul (call $sum4 (local.get $a7)) (f32.const 0x1.010102p-8))))
    (f32.store offset=32 (local.get $out) (f32.add (f32.load offset=32 (local.get $b)) (f32.mul (call $sum4 (local.get $a8)) (f32.const 0x1.010102p-8))))
    (f32.store offset=36 (local.get $out) (f32.add (f32.load offset=36 (local.get $b)) (f32.mul (call $sum4 (local.get $a9)) (f32.const 0x1.010102p-8))))
  )

  ;; The sum of a vector's lanes, (v.0 + v.1) + (v.2 + v.3).
  (func $sum4 (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; masksTChunk(img0, m, masksT): for the m <= 64 images at img0 ((m, D) u8, room for 64 rows), for each of
  ;; the 196 groups of 4 pixels, which rows hold a nonzero pixel there: bit r of masksT[j] (196 i64), for
  ;; backwardCols. Sixteen rows and one 16-pixel block at a time: the rows' 4-group nonzero lanes narrowed to
  ;; bytes, regrouped by shuffles into one vector per group over the 16 rows, whose bitmask is those rows'
  ;; 16 bits. Bits of rows >= m (read past the unit's rows, in the buffer's room) are cleared at the end.
  (func (export "masksTChunk") (param $img0 i32) (param $m i32) (param $masksT i32)
    (local $rb i32) (local $k i32) (local $p i32) (local $o i32) (local $j i32) (local $keep i64)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t01 v128) (local $t01b v128) (local $t23 v128) (local $t23b v128)
    (if (i32.eqz (local.get $m)) (then (return)))
    (loop $rowBlocks
      (local.set $k (i32.const 0))
      (loop $blocks
        ;; p: row 16 rb, pixel 16 k; o: masksT[4 k] + the 16-bit piece rb
        (local.set $p (i32.add (i32.add (local.get $img0) (i32.mul (local.get $rb) (i32.const 12544))) (i32.shl (local.get $k) (i32.const 4))))
        (local.set $o (i32.add (i32.add (local.get $masksT) (i32.shl (local.get $k) (i32.const 5))) (i32.shl (local.get $rb) (i32.const 1))))
        (local.set $v0 (call $rows4 (local.get $p)))
        (local.set $v1 (call $rows4 (i32.add (local.get $p) (i32.const 3136))))
        (local.set $v2 (call $rows4 (i32.add (local.get $p) (i32.const 6272))))
        (local.set $v3 (call $rows4 (i32.add (local.get $p) (i32.const 9408))))
        ;; v_i lanes: (row 4 i + a, group b) at 4 a + b. t01: group 0 rows 0-7, group 1 rows 0-7; t01b: groups 2, 3
        (local.set $t01 (i8x16.shuffle 0 4 8 12 16 20 24 28 1 5 9 13 17 21 25 29 (local.get $v0) (local.get $v1)))
        (local.set $t01b (i8x16.shuffle 2 6 10 14 18 22 26 30 3 7 11 15 19 23 27 31 (local.get $v0) (local.get $v1)))
        (local.set $t23 (i8x16.shuffle 0 4 8 12 16 20 24 28 1 5 9 13 17 21 25 29 (local.get $v2) (local.get $v3)))
        (local.set $t23b (i8x16.shuffle 2 6 10 14 18 22 26 30 3 7 11 15 19 23 27 31 (local.get $v2) (local.get $v3)))
        (i32.store16 offset=0 (local.get $o) (i8x16.bitmask (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t01) (local.get $t23))))
        (i32.store16 offset=8 (local.get $o) (i8x16.bitmask (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t01) (local.get $t23))))
        (i32.store16 offset=16 (local.get $o) (i8x16.bitmask (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t01b) (local.get $t23b))))
        (i32.store16 offset=24 (local.get $o) (i8x16.bitmask (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t01b) (local.get $t23b))))
        (br_if $blocks (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 49))))
      (br_if $rowBlocks (i32.lt_u (i32.shl (local.tee $rb (i32.add (local.get $rb) (i32.const 1))) (i32.const 4)) (local.get $m))))
    ;; pieces never written (row blocks past m) and bits of rows >= m: cleared
    (local.set $keep (select (i64.const -1) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $m))) (i64.const 1)) (i32.ge_u (local.get $m) (i32.const 64))))
    (loop $groups
      (local.set $o (i32.add (local.get $masksT) (i32.shl (local.get $j) (i32.const 3))))
      (i64.store (local.get $o) (i64.and (i64.load (local.get $o)) (local.get $keep)))
      (br_if $groups (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 196)))))

  ;; Four rows' (784 bytes apart from $p) 4-pixel groups of one 16-pixel block: lane 4 a + b is -1 when
  ;; group b of row a holds a nonzero pixel, else 0.
  (func $rows4 (param $p i32) (result v128)
    (i8x16.narrow_i16x8_s
      (i16x8.narrow_i32x4_s (i32x4.ne (v128.load offset=0 (local.get $p)) (v128.const i32x4 0 0 0 0))
                            (i32x4.ne (v128.load offset=784 (local.get $p)) (v128.const i32x4 0 0 0 0)))
      (i16x8.narrow_i32x4_s (i32x4.ne (v128.load offset=1568 (local.get $p)) (v128.const i32x4 0 0 0 0))
                            (i32x4.ne (v128.load offset=2352 (local.get $p)) (v128.const i32x4 0 0 0 0)))))

  ;; backwardCols(gradT, img0, masksT, g0): gradT[c, 4 j .. 4 j + 3] = sum over the rows r whose bit is set in
  ;; masksT[j] (masksTChunk), in row order, of v_r[4 j ..] g_r[c] (dlogits rows at g0, already divided by
  ;; 255): every class row of gradT written, nothing read (no clearing first). One f32x4 accumulator per class
  ;; over the group's 4 pixels, kept in registers across the rows; a row whose group is all 0 is skipped
  ;; (it would add v 0 = 0 exactly), found by count-trailing-zeros as the forward does; two rows a turn of the
  ;; loop, in row order (the same bits as one at a time, 12% less time).
  (func (export "backwardCols") (param $gradT i32) (param $img0 i32) (param $masksT i32) (param $g0 i32)
    (local $j i32) (local $bits i64) (local $r i32) (local $s i32) (local $d i32) (local $e i32) (local $col i32)
    (local $x v128) (local $y v128) (local $out i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)
    (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $a8 v128) (local $a9 v128)
    (loop $groups
      (local.set $bits (i64.load (i32.add (local.get $masksT) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
      (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
      (local.set $a8 (v128.const i32x4 0 0 0 0)) (local.set $a9 (v128.const i32x4 0 0 0 0))
      (local.set $col (i32.add (local.get $img0) (i32.shl (local.get $j) (i32.const 2))))  ;; row 0's pixels 4 j ..
      (block $done (loop $rows
        (br_if $done (i64.eqz (local.get $bits)))
        (local.set $r (i32.wrap_i64 (i64.ctz (local.get $bits))))
        (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
        (local.set $x (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
          (v128.load32_zero (i32.add (local.get $col) (i32.mul (local.get $r) (i32.const 784))))))))
        (local.set $d (i32.add (local.get $g0) (i32.mul (local.get $r) (i32.const 48))))
        (if (i64.eqz (local.get $bits)) (then
          (local.set $a0 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=0 (local.get $d)) (local.get $a0)))
          (local.set $a1 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=4 (local.get $d)) (local.get $a1)))
          (local.set $a2 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=8 (local.get $d)) (local.get $a2)))
          (local.set $a3 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=12 (local.get $d)) (local.get $a3)))
          (local.set $a4 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=16 (local.get $d)) (local.get $a4)))
          (local.set $a5 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=20 (local.get $d)) (local.get $a5)))
          (local.set $a6 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=24 (local.get $d)) (local.get $a6)))
          (local.set $a7 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=28 (local.get $d)) (local.get $a7)))
          (local.set $a8 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=32 (local.get $d)) (local.get $a8)))
          (local.set $a9 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=36 (local.get $d)) (local.get $a9)))
          (br $done)))
        (local.set $s (i32.wrap_i64 (i64.ctz (local.get $bits))))
        (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
        (local.set $y (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
          (v128.load32_zero (i32.add (local.get $col) (i32.mul (local.get $s) (i32.const 784))))))))
        (local.set $e (i32.add (local.get $g0) (i32.mul (local.get $s) (i32.const 48))))
        (local.set $a0 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=0 (local.get $d)) (local.get $a0)))
        (local.set $a1 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=4 (local.get $d)) (local.get $a1)))
        (local.set $a2 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=8 (local.get $d)) (local.get $a2)))
        (local.set $a3 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=12 (local.get $d)) (local.get $a3)))
        (local.set $a4 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=16 (local.get $d)) (local.get $a4)))
        (local.set $a5 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=20 (local.get $d)) (local.get $a5)))
        (local.set $a6 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=24 (local.get $d)) (local.get $a6)))
        (local.set $a7 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=28 (local.get $d)) (local.get $a7)))
        (local.set $a8 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=32 (local.get $d)) (local.get $a8)))
        (local.set $a9 (f32x4.relaxed_madd (local.get $x) (v128.load32_splat offset=36 (local.get $d)) (local.get $a9)))
        (local.set $a0 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=0 (local.get $e)) (local.get $a0)))
        (local.set $a1 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=4 (local.get $e)) (local.get $a1)))
        (local.set $a2 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=8 (local.get $e)) (local.get $a2)))
        (local.set $a3 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=12 (local.get $e)) (local.get $a3)))
        (local.set $a4 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=16 (local.get $e)) (local.get $a4)))
        (local.set $a5 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=20 (local.get $e)) (local.get $a5)))
        (local.set $a6 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=24 (local.get $e)) (local.get $a6)))
        (local.set $a7 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=28 (local.get $e)) (local.get $a7)))
        (local.set $a8 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=32 (local.get $e)) (local.get $a8)))
        (local.set $a9 (f32x4.relaxed_madd (local.get $y) (v128.load32_splat offset=36 (local.get $e)) (local.get $a9)))
        (br $rows)))
      (local.set $out (i32.add (local.get $gradT) (i32.shl (local.get $j) (i32.const 4))))
      (v128.store offset=0 (local.get $out) (local.get $a0))
      (v128.store offset=3136 (local.get $out) (local.get $a1))
      (v128.store offset=6272 (local.get $out) (local.get $a2))
      (v128.store offset=9408 (local.get $out) (local.get $a3))
      (v128.store offset=12544 (local.get $out) (local.get $a4))
      (v128.store offset=15680 (local.get $out) (local.get $a5))
      (v128.store offset=18816 (local.get $out) (local.get $a6))
      (v128.store offset=21952 (local.get $out) (local.get $a7))
      (v128.store offset=25088 (local.get $out) (local.get $a8))
      (v128.store offset=28224 (local.get $out) (local.get $a9))
      (br_if $groups (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 196)))))

  ;; softmaxChunk(logits, labels, m, naive, probs, dlogits, gradB, correct, stats) -> loss: for each of the
  ;; m rows of logits, the softmax p into probs; dlogits = (p - onehot(label)) / 255; gradB = the sum over
  ;; the rows of p - onehot (the unit's whole bias gradient: nothing is cleared first); the number of rows
  ;; whose argmax is the label into *correct. Returns the rows' summed cross-entropy, in float64.
  ;;   naive = 0, the stable softmax: p = exp(l - max) / sum (subtracting the row max leaves p unchanged and
  ;;     keeps every exponent <= 0, so nothing overflows), and the loss from the logits by log-sum-exp,
  ;;     log sum - (l_label - max) (core/softmax.ts logSumExpLoss): never -log p, which is Infinity once p
  ;;     underflows although the logits are finite. NaN only when a logit is not finite.
  ;;   naive = 1, d2l's exp / rowsum and -log p_label, as core/softmax.ts softmaxNaive and crossEntropy: a
  ;;     logit above ~88.72 overflows exp to Infinity, Infinity / Infinity is NaN, and a label probability
  ;;     that underflowed to 0 gives an infinite loss. The lab shows exactly that.
  ;; Four passes, each a loop with independent iterations (so the CPU overlaps them): the shifted logits,
  ;; exp of all 3m vectors at once, the per-row rest, the loss. A row is three f32x4 (KP = 12 lanes): lanes
  ;; 10, 11 read the next row's first logits (the region has slack after the last row) and are zeroed.
  ;; stats (m, 4) f32 is scratch: per row the shift (the max, or 0), the sum, l_label and p_label.
  (func (export "softmaxChunk") (param $logits i32) (param $labels i32) (param $m i32) (param $naive i32)
        (param $probs i32) (param $dlogits i32) (param $gradB i32) (param $correct i32) (param $stats i32) (result f64)
    (local $loss f64)    ;; the rows' summed cross-entropy so far
    (local $hits i32)    ;; rows predicted right so far
    (local $r i32)       ;; row
    (local $l i32)       ;; its logits
    (local $p i32)       ;; its probs
    (local $g i32)       ;; its dlogits
    (local $st i32)      ;; its stats
    (local $o i32)       ;; byte offset of a vector in probs
    (local $c i32)       ;; class
    (local $y i32)       ;; its label
    (local $best i32)    ;; argmax so far
    (local $max f32) (local $sum f32) (local $v f32) (local $bestP f32)
    (local $label v128)  ;; the row's label in every lane
    (local $q v128)      ;; a sum of vectors, then p of one vector, then p - onehot
    (local $gb0 v128) (local $gb1 v128) (local $gb2 v128)  ;; gradB so far
    (local $pv0 v128) (local $pv1 v128) (local $pv2 v128) (local $mx v128)  ;; the row's probabilities, their max
    (local $x v128) (local $n v128) (local $r2 v128) (local $poly v128) (local $ni v128) (local $h v128)  ;; exp's
    (if (i32.eqz (local.get $m)) (then (return (f64.const 0))))
    ;; 1. probs row = l - shift: the row max for the stable form (f32.max propagates NaN, so an overflowed
    ;;    row stays NaN), 0 for the textbook one, which takes exp of the logits as they are
    (loop $rows
      (local.set $l (i32.add (local.get $logits) (i32.mul (local.get $r) (i32.const 40))))   ;; + r K floats
      (local.set $p (i32.add (local.get $probs) (i32.mul (local.get $r) (i32.const 48))))    ;; + r KP floats
      (local.set $max (f32.const 0))
      (if (i32.eqz (local.get $naive)) (then
        (local.set $max (f32.load (local.get $l)))
        (local.set $c (i32.const 1))
        (loop $classes
          (local.set $max (f32.max (local.get $max) (f32.load (i32.add (local.get $l) (i32.shl (local.get $c) (i32.const 2))))))
          (br_if $classes (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 10))))))
      (f32.store (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 4))) (local.get $max))
      (v128.store offset=0 (local.get $p) (f32x4.sub (v128.load offset=0 (local.get $l)) (f32x4.splat (local.get $max))))
      (v128.store offset=16 (local.get $p) (f32x4.sub (v128.load offset=16 (local.get $l)) (f32x4.splat (local.get $max))))
      (v128.store offset=32 (local.get $p) (f32x4.sub (v128.load offset=32 (local.get $l)) (f32x4.splat (local.get $max))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $m))))
    ;; 2. probs = exp(probs), all 3m vectors, inline (a call spills every live vector around it).
    ;;    exp(x) lane-wise in float32, rounding at the ends as float32's exp does: Infinity above ~88.72 (the
    ;;    textbook softmax's overflow), subnormal below ~-87.3 and 0 below ~-103.97. x = n ln2 + r with n an
    ;;    integer and |r| <= ln2/2, ln2 split in two (Cody-Waite: 0.693359375 has few bits, so n times it is
    ;;    exact); e^r by its Taylor series to r^7 (truncation < 6e-9 relative); times 2^n as 2^h 2^(n - h) with
    ;;    h = floor(n / 2), two factors built in the exponent bits that are both normal numbers for every n the
    ;;    clamp to [-104, 89] allows, so the products round to Infinity or through the subnormals to 0 exactly as
    ;;    a float32 result would. About 2 ulp from float32(Math.exp(x)).
    ;;    The clamp by pmin / pmax (one instruction each) keeps a NaN: pmin(x, 89) is x when x is NaN, and
    ;;    so is pmax(x, -104).
    (loop $vectors
      (local.set $x (v128.load (i32.add (local.get $probs) (local.get $o))))
      (local.set $x (f32x4.pmax (f32x4.pmin (local.get $x) (v128.const f32x4 89 89 89 89)) (v128.const f32x4 -104 -104 -104 -104)))
      (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
        (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))  ;; log2(e)
      (local.set $r2 (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
                               (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
      ;; e^r = 1 + r (1 + r (1/2 + r (1/6 + r (1/24 + r (1/120 + r (1/720 + r / 5040)))))), Horner's rule
      (local.set $poly (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))  ;; 1/5040
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))  ;; 1/720
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))  ;; 1/120
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))  ;; 1/24
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))  ;; 1/6
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 1 1 1 1)))
      (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $r2)) (v128.const f32x4 1 1 1 1)))
      ;; 2^k as a float for -126 <= k <= 127: the biased exponent k + 127 in bits 23..30
      (local.set $ni (i32x4.trunc_sat_f32x4_s (local.get $n)))
      (local.set $h (i32x4.shr_s (local.get $ni) (i32.const 1)))
      (v128.store (i32.add (local.get $probs) (local.get $o))
        (f32x4.mul (f32x4.mul (local.get $poly) (i32x4.shl (i32x4.add (local.get $h) (v128.const i32x4 127 127 127 127)) (i32.const 23)))
                   (i32x4.shl (i32x4.add (i32x4.sub (local.get $ni) (local.get $h)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
      (br_if $vectors (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (i32.mul (local.get $m) (i32.const 48)))))
    ;; 3. per row: p = e / sum, then p - onehot(label), d(loss)/d(logits) (the softmax Jacobian and the log's
    ;;    1/p cancel, so the fused form is cheaper and better conditioned), summed into gradB and stored
    ;;    divided by 255 (backward multiplies it by the pixel bytes v, not by x = v / 255); the argmax
    (local.set $r (i32.const 0))  ;; gb0 .. gb2 start at 0, as locals do
    (loop $rows
      (local.set $l (i32.add (local.get $logits) (i32.mul (local.get $r) (i32.const 40))))
      (local.set $p (i32.add (local.get $probs) (i32.mul (local.get $r) (i32.const 48))))
      (local.set $g (i32.add (local.get $dlogits) (i32.mul (local.get $r) (i32.const 48))))
      (local.set $st (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 4))))
      (local.set $y (i32.load (i32.add (local.get $labels) (i32.shl (local.get $r) (i32.const 2)))))
      (i64.store offset=40 (local.get $p) (i64.const 0))  ;; lanes 10, 11 are not classes
      ;; sum = ((q.0 + q.1) + q.2) + q.3, q = (e0 + e1) + e2
      (local.set $q (f32x4.add (f32x4.add (v128.load offset=0 (local.get $p)) (v128.load offset=16 (local.get $p))) (v128.load offset=32 (local.get $p))))
      (local.set $sum (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $q)) (f32x4.extract_lane 1 (local.get $q)))
                                        (f32x4.extract_lane 2 (local.get $q)))
                               (f32x4.extract_lane 3 (local.get $q))))
      (local.set $label (i32x4.splat (local.get $y)))
      (local.set $q (f32x4.div (v128.load offset=0 (local.get $p)) (f32x4.splat (local.get $sum))))
      (v128.store offset=0 (local.get $p) (local.get $q))
      (local.set $pv0 (local.get $q))
      (local.set $q (f32x4.sub (local.get $q)
        (v128.and (i32x4.eq (v128.const i32x4 0 1 2 3) (local.get $label)) (v128.const f32x4 1 1 1 1))))
      (local.set $gb0 (f32x4.add (local.get $gb0) (local.get $q)))
      (v128.store offset=0 (local.get $g) (f32x4.mul (local.get $q) (v128.const f32x4 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8)))
      (local.set $q (f32x4.div (v128.load offset=16 (local.get $p)) (f32x4.splat (local.get $sum))))
      (v128.store offset=16 (local.get $p) (local.get $q))
      (local.set $pv1 (local.get $q))
      (local.set $q (f32x4.sub (local.get $q)
        (v128.and (i32x4.eq (v128.const i32x4 4 5 6 7) (local.get $label)) (v128.const f32x4 1 1 1 1))))
      (local.set $gb1 (f32x4.add (local.get $gb1) (local.get $q)))
      (v128.store offset=16 (local.get $g) (f32x4.mul (local.get $q) (v128.const f32x4 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8)))
      (local.set $q (f32x4.div (v128.load offset=32 (local.get $p)) (f32x4.splat (local.get $sum))))
      (v128.store offset=32 (local.get $p) (local.get $q))
      (local.set $pv2 (local.get $q))
      (local.set $q (f32x4.sub (local.get $q)
        (v128.and (i32x4.eq (v128.const i32x4 8 9 10 11) (local.get $label)) (v128.const f32x4 1 1 1 1))))
      (local.set $gb2 (f32x4.add (local.get $gb2) (local.get $q)))
      (v128.store offset=32 (local.get $g) (f32x4.mul (local.get $q) (v128.const f32x4 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8)))
      ;; for the loss: the sum, l_label and p_label beside the shift
      (f32.store offset=4 (local.get $st) (local.get $sum))
      (f32.store offset=8 (local.get $st) (f32.load (i32.add (local.get $l) (i32.shl (local.get $y) (i32.const 2)))))
      (f32.store offset=12 (local.get $st) (f32.load (i32.add (local.get $p) (i32.shl (local.get $y) (i32.const 2)))))
      ;; argmax over the stored probabilities, as core/softmax.ts argmaxRow: strictly greater replaces, so
      ;; the first maximum wins and a NaN row predicts class 0. A row whose sum is finite and positive has
      ;; ten finite probabilities (and lanes 10, 11 are 0, below the largest): the first lane equal to their
      ;; maximum, from the vectors' bitmasks, the same class without a loop. Any other row (an overflowed
      ;; or underflowed textbook row, NaN) takes the loop, selects, so no branch to mispredict within it.
      (if (i32.and (f32.gt (local.get $sum) (f32.const 0)) (f32.lt (local.get $sum) (f32.const inf)))
        (then
          (local.set $mx (f32x4.pmax (f32x4.pmax (local.get $pv0) (local.get $pv1)) (local.get $pv2)))
          (local.set $mx (f32x4.pmax (local.get $mx) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $mx) (local.get $mx))))
          (local.set $mx (f32x4.pmax (local.get $mx) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $mx) (local.get $mx))))
          (local.set $best (i32.ctz (i32.or (i32.or (i32x4.bitmask (f32x4.eq (local.get $pv0) (local.get $mx)))
                                                      (i32.shl (i32x4.bitmask (f32x4.eq (local.get $pv1) (local.get $mx))) (i32.const 4)))
                                             (i32.shl (i32x4.bitmask (f32x4.eq (local.get $pv2) (local.get $mx))) (i32.const 8))))))
        (else
          (local.set $best (i32.const 0))
          (local.set $bestP (f32.load (local.get $p)))
          (local.set $c (i32.const 1))
          (loop $classes
            (local.set $v (f32.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $best (select (local.get $c) (local.get $best) (f32.gt (local.get $v) (local.get $bestP))))
            (local.set $bestP (select (local.get $v) (local.get $bestP) (f32.gt (local.get $v) (local.get $bestP))))
            (br_if $classes (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 10))))
        ))
      (local.set $hits (i32.add (local.get $hits) (i32.eq (local.get $best) (local.get $y))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $m))))
    ;; 4. the loss, in float64
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $st (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 4))))
      (if (local.get $naive)
        (then
          ;; loss += -log p_label (Infinity when it underflowed to 0, NaN when the row overflowed)
          (local.set $loss (f64.sub (local.get $loss) (call $log (f64.promote_f32 (f32.load offset=12 (local.get $st)))))))
        (else
          ;; loss += log sum - (l_label - max): sum >= 1 (the max's own term is exp(0) = 1), so its log is
          ;; finite; the difference is taken in float64, so it cannot overflow either
          (local.set $loss (f64.add (local.get $loss) (f64.sub (call $log (f64.promote_f32 (f32.load offset=4 (local.get $st))))
            (f64.sub (f64.promote_f32 (f32.load offset=8 (local.get $st))) (f64.promote_f32 (f32.load (local.get $st)))))))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $m))))
    (v128.store offset=0 (local.get $gradB) (local.get $gb0))
    (v128.store offset=16 (local.get $gradB) (local.get $gb1))
    (v128.store offset=32 (local.get $gradB) (local.get $gb2))
    (i32.store (local.get $correct) (local.get $hits))
    (local.get $loss))

  ;; countCorrect(logits, labels, m) -> the number of the m rows of logits (m, K) whose argmax (the first
  ;; maximum, as core/softmax.ts argmaxRow) equals the row's label (i32).
  (func (export "countCorrect") (param $logits i32) (param $labels i32) (param $m i32) (result i32)
    (local $r i32) (local $l i32) (local $c i32) (local $best i32) (local $hits i32) (local $v f32) (local $bestV f32)
    (if (local.get $m) (then
      (loop $rows
        (local.set $l (i32.add (local.get $logits) (i32.mul (local.get $r) (i32.const 40))))
        (local.set $best (i32.const 0))
        (local.set $bestV (f32.load (local.get $l)))
        (local.set $c (i32.const 1))
        (loop $classes
          (local.set $v (f32.load (i32.add (local.get $l) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $best (select (local.get $c) (local.get $best) (f32.gt (local.get $v) (local.get $bestV))))
          (local.set $bestV (select (local.get $v) (local.get $bestV) (f32.gt (local.get $v) (local.get $bestV))))
          (br_if $classes (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 10))))
        (local.set $hits (i32.add (local.get $hits)
          (i32.eq (local.get $best) (i32.load (i32.add (local.get $labels) (i32.shl (local.get $r) (i32.const 2)))))))
        (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $m))))))
    (local.get $hits))

  ;; loadParams(params, wT, b) -> 1 when every parameter is finite, else 0: W (D, K) and b of `params`
  ;; into wT (K, D) and b (KP, lanes 10, 11 zeroed). Four pixels at a time: their four W rows (40 bytes
  ;; apart) as three vectors each, classes 0-3, 4-7 and 8-9 (the last a 64-bit load), transposed by
  ;; shuffles into one f32x4 of each class row; the finiteness check on the same vectors (v - v is 0 for a
  ;; finite v, NaN otherwise). Written out, not called per block: a call spills the vectors around it
  ;; (per call: loadParams 1.1 µs, against 4.0 for scalar moves; storeParams 0.8, 1.6 with a call per block, 1.9 scalar).
  (func (export "loadParams") (param $params i32) (param $wT i32) (param $b i32) (result i32)
    (local $d i32) (local $p i32) (local $w i32) (local $k i32) (local $bad v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (loop $blocks  ;; pixels d .. d + 3
      (local.set $p (i32.add (local.get $params) (i32.mul (local.get $d) (i32.const 40))))  ;; W row d: + d K floats
      (local.set $w (i32.add (local.get $wT) (i32.shl (local.get $d) (i32.const 2))))      ;; column d of wT
      ;; classes 0-3 of rows d .. d + 3, into class rows 0-3
      (local.set $r0 (v128.load offset=0 (local.get $p)))
      (local.set $r1 (v128.load offset=40 (local.get $p)))
      (local.set $r2 (v128.load offset=80 (local.get $p)))
      (local.set $r3 (v128.load offset=120 (local.get $p)))
      (local.set $bad (f32x4.add (local.get $bad) (f32x4.add (f32x4.add (f32x4.sub (local.get $r0) (local.get $r0)) (f32x4.sub (local.get $r1) (local.get $r1)))
                                                          (f32x4.add (f32x4.sub (local.get $r2) (local.get $r2)) (f32x4.sub (local.get $r3) (local.get $r3))))))
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))  ;; r0[0] r1[0] r0[1] r1[1]
      (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))  ;; r0[2] r1[2] r0[3] r1[3]
      (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
      (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
      (v128.store offset=0 (local.get $w) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
      (v128.store offset=3136 (local.get $w) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
      (v128.store offset=6272 (local.get $w) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
      (v128.store offset=9408 (local.get $w) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
      ;; classes 4-7, into class rows 4-7
      (local.set $r0 (v128.load offset=16 (local.get $p)))
      (local.set $r1 (v128.load offset=56 (local.get $p)))
      (local.set $r2 (v128.load offset=96 (local.get $p)))
      (local.set $r3 (v128.load offset=136 (local.get $p)))
      (local.set $bad (f32x4.add (local.get $bad) (f32x4.add (f32x4.add (f32x4.sub (local.get $r0) (local.get $r0)) (f32x4.sub (local.get $r1) (local.get $r1)))
                                                          (f32x4.add (f32x4.sub (local.get $r2) (local.get $r2)) (f32x4.sub (local.get $r3) (local.get $r3))))))
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))  ;; r0[0] r1[0] r0[1] r1[1]
      (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))  ;; r0[2] r1[2] r0[3] r1[3]
      (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
      (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
      (v128.store offset=12544 (local.get $w) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
      (v128.store offset=15680 (local.get $w) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
      (v128.store offset=18816 (local.get $w) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
      (v128.store offset=21952 (local.get $w) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
      ;; classes 8-9 (lanes 2, 3 zero), into class rows 8 and 9
      (local.set $r0 (v128.load64_zero offset=32 (local.get $p)))
      (local.set $r1 (v128.load64_zero offset=72 (local.get $p)))
      (local.set $r2 (v128.load64_zero offset=112 (local.get $p)))
      (local.set $r3 (v128.load64_zero offset=152 (local.get $p)))
      (local.set $bad (f32x4.add (local.get $bad) (f32x4.add (f32x4.add (f32x4.sub (local.get $r0) (local.get $r0)) (f32x4.sub (local.get $r1) (local.get $r1)))
                                                          (f32x4.add (f32x4.sub (local.get $r2) (local.get $r2)) (f32x4.sub (local.get $r3) (local.get $r3))))))
      (local.set $r0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))  ;; W(d,8) W(d+1,8) W(d,9) W(d+1,9)
      (local.set $r2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
      (v128.store offset=25088 (local.get $w) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r2)))
      (v128.store offset=28224 (local.get $w) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r2)))
      (br_if $blocks (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 4))) (i32.const 784))))
    (loop $classes
      (f32.store (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 2)))
        (f32.load offset=31360 (i32.add (local.get $params) (i32.shl (local.get $k) (i32.const 2)))))  ;; b after W: + D K floats
      (br_if $classes (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 10))))
    (i64.store offset=40 (local.get $b) (i64.const 0))
    ;; the biases' check: b's three vectors, lanes 10, 11 zero
    (local.set $r0 (v128.load offset=0 (local.get $b)))
    (local.set $r1 (v128.load offset=16 (local.get $b)))
    (local.set $r2 (v128.load offset=32 (local.get $b)))
    (local.set $bad (f32x4.add (local.get $bad) (f32x4.add (f32x4.add (f32x4.sub (local.get $r0) (local.get $r0)) (f32x4.sub (local.get $r1) (local.get $r1)))
                                                        (f32x4.sub (local.get $r2) (local.get $r2)))))
    (f32.eq (call $sum4 (local.get $bad)) (f32.const 0)))

  ;; storeParams(wT, b, params): the inverse of loadParams, four pixels at a time: the class rows' f32x4
  ;; at those pixels transposed back into the four W rows (classes 0-3, 4-7, and 8-9 as 64-bit stores).
  (func $storeParams (param $wT i32) (param $b i32) (param $params i32)
    (local $d i32) (local $p i32) (local $w i32) (local $k i32)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (loop $blocks  ;; pixels d .. d + 3
      (local.set $p (i32.add (local.get $params) (i32.mul (local.get $d) (i32.const 40))))
      (local.set $w (i32.add (local.get $wT) (i32.shl (local.get $d) (i32.const 2))))
      (local.set $c0 (v128.load offset=0 (local.get $w)))
      (local.set $c1 (v128.load offset=3136 (local.get $w)))
      (local.set $c2 (v128.load offset=6272 (local.get $w)))
      (local.set $c3 (v128.load offset=9408 (local.get $w)))
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c0) (local.get $c1)))
      (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c0) (local.get $c1)))
      (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c2) (local.get $c3)))
      (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c2) (local.get $c3)))
      (v128.store offset=0 (local.get $p) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
      (v128.store offset=40 (local.get $p) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
      (v128.store offset=80 (local.get $p) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
      (v128.store offset=120 (local.get $p) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
      (local.set $c0 (v128.load offset=12544 (local.get $w)))
      (local.set $c1 (v128.load offset=15680 (local.get $w)))
      (local.set $c2 (v128.load offset=18816 (local.get $w)))
      (local.set $c3 (v128.load offset=21952 (local.get $w)))
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c0) (local.get $c1)))
      (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c0) (local.get $c1)))
      (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c2) (local.get $c3)))
      (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c2) (local.get $c3)))
      (v128.store offset=16 (local.get $p) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
      (v128.store offset=56 (local.get $p) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
      (v128.store offset=96 (local.get $p) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
      (v128.store offset=136 (local.get $p) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
      ;; classes 8, 9: (W(d,8) W(d,9)) .. (W(d+3,8) W(d+3,9)) from class rows 8 and 9
      (local.set $t0 (v128.load offset=25088 (local.get $w)))
      (local.set $t1 (v128.load offset=28224 (local.get $w)))
      (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t0) (local.get $t1)))    ;; rows d, d + 1
      (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $t0) (local.get $t1))) ;; rows d + 2, d + 3
      (v128.store64_lane offset=32 0 (local.get $p) (local.get $t2))
      (v128.store64_lane offset=72 1 (local.get $p) (local.get $t2))
      (v128.store64_lane offset=112 0 (local.get $p) (local.get $t3))
      (v128.store64_lane offset=152 1 (local.get $p) (local.get $t3))
      (br_if $blocks (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 4))) (i32.const 784))))
    (loop $classes
      (f32.store offset=31360 (i32.add (local.get $params) (i32.shl (local.get $k) (i32.const 2)))
        (f32.load (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 2)))))
      (br_if $classes (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 10)))))

  ;; storeGrad(group, params): a gradient group (gradT then gradB) into the parameters' layout, d(sum
  ;; loss)/dW (D, K) then d(sum loss)/db, at `params`.
  (func (export "storeGrad") (param $group i32) (param $params i32)
    (call $storeParams (local.get $group) (i32.add (local.get $group) (i32.const 31360)) (local.get $params)))

  ;; addGroup(dst, src): gradient group dst += group src, or dst = src when `copy` is 1. Callers add groups in
  ;; a fixed order, so the sum is the same whichever threads computed them.
  (func (export "addGroup") (param $dst i32) (param $src i32) (param $copy i32)
    (local $o i32)
    (if (local.get $copy) (then
      (memory.copy (local.get $dst) (local.get $src) (i32.const 31408))
      (return)))
    (loop $vectors
      (v128.store (i32.add (local.get $dst) (local.get $o))
        (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $o))) (v128.load (i32.add (local.get $src) (local.get $o)))))
      (br_if $vectors (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (i32.const 31408)))))  ;; GROUP floats

  ;; sgdUpdate(g0, g1, g2, g3, n, wT, b, scale, decay, params) -> status: d2l's sgd with weight decay on W,
  ;; on the gradient that is the sum of the first n (1 to 4) gradient groups g0, g1, ... (a batch's unit
  ;; groups, or one group that holds their sum): W = decay W - scale gradT and b -= scale gradB (scale =
  ;; lr / batch size, decay = 1 - lr lambda: d2l's W - lr (gradT / n + lambda W) regrouped, so that lambda =
  ;; 0 multiplies W by exactly 1 and gives plain sgd's bits), then the new W and b into `params`. One pass
  ;; sums, checks and updates (the sum's bits are addGroup's: the same adds in the same order), instead of
  ;; a pass per group on the calling thread while the helpers wait. 0: done. 1: the gradient is not finite.
  ;; 2: an updated weight is not finite. On 1 and 2 `params` is unchanged (wT and b are scratch).
  (func (export "sgdUpdate") (param $g0 i32) (param $g1 i32) (param $g2 i32) (param $g3 i32) (param $n i32)
        (param $wT i32) (param $b i32) (param $scale f32) (param $decay f32) (param $params i32) (result i32)
    (local $o i32) (local $s v128) (local $keep v128) (local $g v128) (local $v v128) (local $bad v128) (local $badG v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $keep (f32x4.splat (local.get $decay)))
    (loop $vectors
      ;; the gradient: ((g0 + g1) + g2) + g3 over the n unit groups, the order addGroup sums them in
      (local.set $g (v128.load offset=0 (i32.add (local.get $g0) (local.get $o))))
      (if (i32.gt_u (local.get $n) (i32.const 1)) (then (local.set $g (f32x4.add (local.get $g) (v128.load offset=0 (i32.add (local.get $g1) (local.get $o)))))))
      (if (i32.gt_u (local.get $n) (i32.const 2)) (then (local.set $g (f32x4.add (local.get $g) (v128.load offset=0 (i32.add (local.get $g2) (local.get $o)))))))
      (if (i32.gt_u (local.get $n) (i32.const 3)) (then (local.set $g (f32x4.add (local.get $g) (v128.load offset=0 (i32.add (local.get $g3) (local.get $o)))))))
      (local.set $badG (f32x4.add (local.get $badG) (f32x4.sub (local.get $g) (local.get $g))))  ;; NaN once any is not finite
      (local.set $v (f32x4.relaxed_nmadd (local.get $s) (local.get $g)
                                         (f32x4.mul (local.get $keep) (v128.load (i32.add (local.get $wT) (local.get $o))))))
      (v128.store (i32.add (local.get $wT) (local.get $o)) (local.get $v))
      (local.set $bad (f32x4.add (local.get $bad) (f32x4.sub (local.get $v) (local.get $v))))  ;; NaN once any v is not finite
      (br_if $vectors (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (i32.const 31360))))
    (local.set $o (i32.const 0))
    (loop $bias
      ;; the gradient: ((g0 + g1) + g2) + g3 over the n unit groups, the order addGroup sums them in
      (local.set $g (v128.load offset=31360 (i32.add (local.get $g0) (local.get $o))))
      (if (i32.gt_u (local.get $n) (i32.const 1)) (then (local.set $g (f32x4.add (local.get $g) (v128.load offset=31360 (i32.add (local.get $g1) (local.get $o)))))))
      (if (i32.gt_u (local.get $n) (i32.const 2)) (then (local.set $g (f32x4.add (local.get $g) (v128.load offset=31360 (i32.add (local.get $g2) (local.get $o)))))))
      (if (i32.gt_u (local.get $n) (i32.const 3)) (then (local.set $g (f32x4.add (local.get $g) (v128.load offset=31360 (i32.add (local.get $g3) (local.get $o)))))))
      (local.set $badG (f32x4.add (local.get $badG) (f32x4.sub (local.get $g) (local.get $g))))  ;; NaN once any is not finite
      (local.set $v (f32x4.relaxed_nmadd (local.get $s) (local.get $g) (v128.load (i32.add (local.get $b) (local.get $o)))))
      (v128.store (i32.add (local.get $b) (local.get $o)) (local.get $v))
      (local.set $bad (f32x4.add (local.get $bad) (f32x4.sub (local.get $v) (local.get $v))))
      (br_if $bias (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 16))) (i32.const 48))))
    (if (f32.ne (call $sum4 (local.get $badG)) (f32.const 0)) (then (return (i32.const 1))))
    (if (f32.ne (call $sum4 (local.get $bad)) (f32.const 0)) (then (return (i32.const 2))))
    (call $storeParams (local.get $wT) (local.get $b) (local.get $params))
    (i32.const 0))

  ;; ln(s) in float64 for s >= 0 (a row sum in [1, K], or a probability): s = 2^e u with u in
  ;; [sqrt(1/2), sqrt(2)), then ln s = e ln2 + 2 atanh(t), t = (u - 1) / (u + 1), |t| <= 0.172, by the odd
  ;; series t + t^3/3 + ... + t^15/15 (the next term is below 2e-13). ln 0 = -Infinity; s - s (0, or NaN
  ;; when s is NaN or infinite) is added so a NaN gives NaN, whatever its bits say. Subnormal float64s do
  ;; not occur here (a float32 promoted to float64 is normal).
  (func $log (param $s f64) (result f64)
    (local $bits i64) (local $e f64) (local $u f64) (local $t f64) (local $t2 f64)
    (if (f64.eq (local.get $s) (f64.const 0)) (then (return (f64.const -inf))))
    (local.set $bits (i64.reinterpret_f64 (local.get $s)))
    ;; e = the unbiased exponent; u = the mantissa with exponent 0, in [1, 2)
    (local.set $e (f64.convert_i64_s (i64.sub (i64.and (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 0x7ff)) (i64.const 1023))))
    (local.set $u (f64.reinterpret_i64 (i64.or (i64.and (local.get $bits) (i64.const 0x000fffffffffffff)) (i64.const 0x3ff0000000000000))))
    (if (f64.gt (local.get $u) (f64.const 1.4142135623730951)) (then  ;; keep u near 1: [sqrt(1/2), sqrt(2))
      (local.set $u (f64.mul (local.get $u) (f64.const 0.5)))
      (local.set $e (f64.add (local.get $e) (f64.const 1)))))
    (local.set $t (f64.div (f64.sub (local.get $u) (f64.const 1)) (f64.add (local.get $u) (f64.const 1))))
    (local.set $t2 (f64.mul (local.get $t) (local.get $t)))
    ;; 2 t (1 + t2 (1/3 + t2 (1/5 + t2 (1/7 + t2 (1/9 + t2 (1/11 + t2 (1/13 + t2 / 15))))))), Horner's rule
    (f64.add (f64.sub (local.get $s) (local.get $s)) (f64.add (f64.mul (local.get $e) (f64.const 0.6931471805599453))
      (f64.mul (f64.mul (f64.const 2) (local.get $t))
        (f64.add (f64.const 1) (f64.mul (local.get $t2)
        (f64.add (f64.const 0.3333333333333333) (f64.mul (local.get $t2)
        (f64.add (f64.const 0.2) (f64.mul (local.get $t2)
        (f64.add (f64.const 0.14285714285714285) (f64.mul (local.get $t2)
        (f64.add (f64.const 0.1111111111111111) (f64.mul (local.get $t2)
        (f64.add (f64.const 0.09090909090909091) (f64.mul (local.get $t2)
        (f64.add (f64.const 0.07692307692307693) (f64.mul (local.get $t2) (f64.const 0.06666666666666667)))))))))))))))))))

)
