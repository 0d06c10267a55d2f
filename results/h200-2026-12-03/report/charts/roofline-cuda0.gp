set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,520 font 'Sans,11'
set output 'roofline-cuda0.png'
set title 'Roofline of CUDA device 0 (roofs: the best measured throughputs)'
set border 3 lc rgb '#444444'
set tics nomirror out
set grid lt 1 lw 1 lc rgb '#e4e4e4'
set key outside right top Left reverse samplen 2 spacing 1.2 width 1
set linetype 1 lc rgb '#1f77b4' lw 2 pt 7 ps 0.9
set linetype 2 lc rgb '#d62728' lw 2 pt 7 ps 0.9
set linetype 3 lc rgb '#2ca02c' lw 2 pt 7 ps 0.9
set linetype 4 lc rgb '#ff7f0e' lw 2 pt 7 ps 0.9
set linetype 5 lc rgb '#9467bd' lw 2 pt 7 ps 0.9
set linetype 6 lc rgb '#8c564b' lw 2 pt 7 ps 0.9
set linetype 7 lc rgb '#e377c2' lw 2 pt 7 ps 0.9
set linetype 8 lc rgb '#17becf' lw 2 pt 7 ps 0.9
set linetype cycle 8
set xlabel 'arithmetic intensity (FLOP/byte)'
set ylabel 'throughput'
set logscale x 10
set xrange [10.4489796:8192]
set samples 400
roof(x) = x * 4.26749592e+12 < 6.405807e+14 ? x * 4.26749592e+12 : 6.405807e+14
set logscale y 10
set yrange [1e+12:1e+15]
set format y '%.0s %cFLOP/s'
plot roof(x) with lines lc rgb '#000000' lw 2 title 'roof: 640.6 TFLOP/s, 4.267 TB/s', 'roofline-cuda0.dat' index 0 using 1:2:3:4 with yerrorbars lt 1 pt 5 title 'attn_d128: unfused (seq=4096, …', 'roofline-cuda0.dat' index 1 using 1:2:3:4 with yerrorbars lt 2 pt 5 title 'attn_d128: fused (seq=4096, d=…', 'roofline-cuda0.dat' index 2 using 1:2:3:4 with yerrorbars lt 3 pt 5 title 'attn_d128: cudnn (seq=4096, d=…', 'roofline-cuda0.dat' index 3 using 1:2:3:4 with yerrorbars lt 4 pt 5 title 'matmul: matmul_fp16/half (n=40…', 'roofline-cuda0.dat' index 4 using 1:2:3:4 with yerrorbars lt 5 pt 5 title 'matmul: matmul_fp16/half2 (n=4…', 'roofline-cuda0.dat' index 5 using 1:2:3:4 with yerrorbars lt 6 pt 5 title 'matmul: matmul_fp16/cublas_f16…', 'roofline-cuda0.dat' index 6 using 1:2:3:4 with yerrorbars lt 7 pt 5 title 'matmul: matmul_fp32/naive (n=4…', 'roofline-cuda0.dat' index 7 using 1:2:3:4 with yerrorbars lt 8 pt 5 title 'matmul: matmul_fp32/tiled (n=4…', 'roofline-cuda0.dat' index 8 using 1:2:3:4 with yerrorbars lt 1 pt 7 title 'matmul: matmul_fp32/regblock (…', 'roofline-cuda0.dat' index 9 using 1:2:3:4 with yerrorbars lt 2 pt 7 title 'matmul: matmul_fp32/sgemm (n=4…', 'roofline-cuda0.dat' index 10 using 1:2:3:4 with yerrorbars lt 3 pt 7 title 'matmul: matmul_fp32/tf32 (n=40…', 'roofline-cuda0.dat' index 11 using 1:2:3:4 with yerrorbars lt 4 pt 7 title 'matmul: matmul_wmma/wmma_direc…', 'roofline-cuda0.dat' index 12 using 1:2:3:4 with yerrorbars lt 5 pt 7 title 'matmul: matmul_wmma/wmma_pipe …'
set terminal svg noenhanced size 900,520 font 'Sans,11' background '#ffffff'
set output 'roofline-cuda0.svg'
replot
unset output
