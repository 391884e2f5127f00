//go:build !purego

#include "textflag.h"

// The loops below compute, lane by lane and in this order,
//	s = fma(g, g, sum); sum = s; theta = theta + (negClr*g) / (sqrt(s) + eps)
// which is denseStep's common case. Go's assembler takes VEX operands in
// reverse: VDIVPS Y2, Y3, Y3 is Y3 = Y3 / Y2.

// func stepF32AVX2(theta, grad, sum []float32, negClr, eps float32)
TEXT ·stepF32AVX2(SB), NOSPLIT, $0-80
	MOVQ         theta_base+0(FP), DI
	MOVQ         grad_base+24(FP), SI
	MOVQ         sum_base+48(FP), DX
	MOVQ         sum_len+56(FP), CX
	VBROADCASTSS negClr+72(FP), Y14
	VBROADCASTSS eps+76(FP), Y15
	SHRQ         $3, CX
	JZ           done32

loop32:
	VMOVUPS     (SI), Y0
	VMOVUPS     (DX), Y1
	VFMADD231PS Y0, Y0, Y1
	VMOVUPS Y1, (DX)
	VSQRTPS Y1, Y2
	VADDPS  Y15, Y2, Y2
	VMULPS  Y14, Y0, Y3
	VDIVPS  Y2, Y3, Y3
	VADDPS  (DI), Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     loop32

done32:
	VZEROUPPER
	RET

// func stepF64AVX2(theta, grad, sum []float64, negClr, eps float64)
TEXT ·stepF64AVX2(SB), NOSPLIT, $0-88
	MOVQ         theta_base+0(FP), DI
	MOVQ         grad_base+24(FP), SI
	MOVQ         sum_base+48(FP), DX
	MOVQ         sum_len+56(FP), CX
	VBROADCASTSD negClr+72(FP), Y14
	VBROADCASTSD eps+80(FP), Y15
	SHRQ         $2, CX
	JZ           done64

loop64:
	VMOVUPD     (SI), Y0
	VMOVUPD     (DX), Y1
	VFMADD231PD Y0, Y0, Y1
	VMOVUPD Y1, (DX)
	VSQRTPD Y1, Y2
	VADDPD  Y15, Y2, Y2
	VMULPD  Y14, Y0, Y3
	VDIVPD  Y2, Y3, Y3
	VADDPD  (DI), Y3, Y3
	VMOVUPD Y3, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     loop64

done64:
	VZEROUPPER
	RET

// The sparse path rounds differently (as torch's does): per lane
//	s = sum + round(v*v); sum = s; theta = fma(negClr, v / (sqrt(s) + eps), theta)

// func rowF32AVX2(theta, grad, sum []float32, negClr, eps float32)
TEXT ·rowF32AVX2(SB), NOSPLIT, $0-80
	MOVQ         theta_base+0(FP), DI
	MOVQ         grad_base+24(FP), SI
	MOVQ         sum_base+48(FP), DX
	MOVQ         sum_len+56(FP), CX
	VBROADCASTSS negClr+72(FP), Y14
	VBROADCASTSS eps+76(FP), Y15
	SHRQ         $3, CX
	JZ           rdone32

rloop32:
	VMOVUPS     (SI), Y0
	VMULPS      Y0, Y0, Y1
	VADDPS      (DX), Y1, Y1
	VMOVUPS     Y1, (DX)
	VSQRTPS     Y1, Y2
	VADDPS      Y15, Y2, Y2
	VDIVPS      Y2, Y0, Y3
	VMOVUPS     (DI), Y4
	VFMADD231PS Y14, Y3, Y4
	VMOVUPS     Y4, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, DI
	DECQ        CX
	JNZ         rloop32

rdone32:
	VZEROUPPER
	RET

// func rowF64AVX2(theta, grad, sum []float64, negClr, eps float64)
TEXT ·rowF64AVX2(SB), NOSPLIT, $0-88
	MOVQ         theta_base+0(FP), DI
	MOVQ         grad_base+24(FP), SI
	MOVQ         sum_base+48(FP), DX
	MOVQ         sum_len+56(FP), CX
	VBROADCASTSD negClr+72(FP), Y14
	VBROADCASTSD eps+80(FP), Y15
	SHRQ         $2, CX
	JZ           rdone64

rloop64:
	VMOVUPD     (SI), Y0
	VMULPD      Y0, Y0, Y1
	VADDPD      (DX), Y1, Y1
	VMOVUPD     Y1, (DX)
	VSQRTPD     Y1, Y2
	VADDPD      Y15, Y2, Y2
	VDIVPD      Y2, Y0, Y3
	VMOVUPD     (DI), Y4
	VFMADD231PD Y14, Y3, Y4
	VMOVUPD     Y4, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, DI
	DECQ        CX
	JNZ         rloop64

rdone64:
	VZEROUPPER
	RET

// func prefetch(p unsafe.Pointer, n uintptr)
// Asks for the n bytes at p (one cache line in 64) to be brought into cache.
TEXT ·prefetch(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ n+8(FP), CX
	ADDQ AX, CX

pfloop:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	CMPQ       AX, CX
	JB         pfloop
	RET
