;; The reading pre-filter's first pass (src/sources/anchor-filter.ts), in WebAssembly SIMD:
;; one pass over a window of bytes that yields every position whose byte, and the byte after
;; it, could begin one of the anchors' fingerprints. A fingerprint is two bytes (or one byte
;; and any byte); there are 16 buckets, in two sets of 8, one bit per bucket. Each set has
;; four 16-byte tables at the start of memory, looked up by nibble (Teddy's scheme): the low
;; and the high nibble of the first byte, then of the second. A position is a candidate when,
;; in some bucket, all four lookups have the bucket's bit. Candidates are a superset of the
;; fingerprints' occurrences; the caller checks each one.
;;
;; It also counts a byte's occurrences (`count`: line breaks, for line numbers across the
;; bytes between the spans of a large file that are decoded).
;;
;; Memory: tables at 0 (set A at 0..63, set B at 64..127: first byte low, first byte high,
;; second byte low, second byte high); the caller puts the window where it likes, with 17
;; zero bytes after it (a vector and the byte after it are read past the end; zero is in no
;; bucket, and lanes past the end are masked off).
(module
  (memory (export "memory") 8)
  ;; candidates(start, end, out, cap): writes the candidate positions in [start, end) as
  ;; u32 at `out`, in order, at most `cap` of them, and returns how many it wrote. When it
  ;; returns `cap`, the caller goes on from the last one written plus one.
  (func (export "candidates") (param $start i32) (param $end i32) (param $out i32) (param $cap i32) (result i32)
    (local $i i32) (local $n i32) (local $mask i32) (local $left i32)
    (local $a0l v128) (local $a0h v128) (local $a1l v128) (local $a1h v128)
    (local $b0l v128) (local $b0h v128) (local $b1l v128) (local $b1h v128)
    (local $v0 v128) (local $v1 v128) (local $l0 v128) (local $h0 v128) (local $l1 v128) (local $h1 v128) (local $m v128)
    (local.set $a0l (v128.load (i32.const 0)))
    (local.set $a0h (v128.load (i32.const 16)))
    (local.set $a1l (v128.load (i32.const 32)))
    (local.set $a1h (v128.load (i32.const 48)))
    (local.set $b0l (v128.load (i32.const 64)))
    (local.set $b0h (v128.load (i32.const 80)))
    (local.set $b1l (v128.load (i32.const 96)))
    (local.set $b1h (v128.load (i32.const 112)))
    (local.set $i (local.get $start))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; 16 positions: their bytes, and the bytes after them
        (local.set $v0 (v128.load (local.get $i)))
        (local.set $v1 (v128.load offset=1 (local.get $i)))
        (local.set $l0 (v128.and (local.get $v0) (i8x16.splat (i32.const 15))))
        (local.set $h0 (i8x16.shr_u (local.get $v0) (i32.const 4)))
        (local.set $l1 (v128.and (local.get $v1) (i8x16.splat (i32.const 15))))
        (local.set $h1 (i8x16.shr_u (local.get $v1) (i32.const 4)))
        (local.set $m
          (v128.or
            (v128.and
              (v128.and (i8x16.swizzle (local.get $a0l) (local.get $l0)) (i8x16.swizzle (local.get $a0h) (local.get $h0)))
              (v128.and (i8x16.swizzle (local.get $a1l) (local.get $l1)) (i8x16.swizzle (local.get $a1h) (local.get $h1))))
            (v128.and
              (v128.and (i8x16.swizzle (local.get $b0l) (local.get $l0)) (i8x16.swizzle (local.get $b0h) (local.get $h0)))
              (v128.and (i8x16.swizzle (local.get $b1l) (local.get $l1)) (i8x16.swizzle (local.get $b1h) (local.get $h1))))))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $mask (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i32x4 0 0 0 0))))
            (local.set $left (i32.sub (local.get $end) (local.get $i)))
            (if (i32.lt_u (local.get $left) (i32.const 16))
              (then (local.set $mask (i32.and (local.get $mask) (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
            (block $written
              (loop $bit
                (br_if $written (i32.eqz (local.get $mask)))
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (i32.add (local.get $i) (i32.ctz (local.get $mask))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (if (i32.eq (local.get $n) (local.get $cap)) (then (return (local.get $n))))
                (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                (br $bit)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.get $n))
  ;; count(start, end, byte): how many bytes in [start, end) equal `byte`.
  (func (export "count") (param $start i32) (param $end i32) (param $byte i32) (result i32)
    (local $i i32) (local $n i32) (local $needle v128)
    (local.set $needle (i8x16.splat (local.get $byte)))
    (local.set $i (local.get $start))
    (block $vectors
      (loop $next
        (br_if $vectors (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $n (i32.add (local.get $n) (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (local.get $needle))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (block $bytes
      (loop $next
        (br_if $bytes (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $n (i32.add (local.get $n) (i32.eq (i32.load8_u (local.get $i)) (local.get $byte))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $n)))
