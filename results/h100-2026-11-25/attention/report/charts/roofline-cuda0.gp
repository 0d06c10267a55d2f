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
set xrange [2.90909091:16384]
set samples 400
roof(x) = x * 2.92422726e+12 < 5.89969199e+14 ? x * 2.92422726e+12 : 5.89969199e+14
set logscale y 10
set yrange [1e+12:1e+15]
set format y '%.0s %cFLOP/s'
plot roof(x) with lines lc rgb '#000000' lw 2 title 'roof: 590.0 TFLOP/s, 2.924 TB/s', 'roofline-cuda0.dat' index 0 using 1:2:3:4 with yerrorbars lt 1 pt 5 title 'attn_d64: unfused (d=64, causa…', 'roofline-cuda0.dat' index 1 using 1:2:3:4 with yerrorbars lt 2 pt 5 title 'attn_d64: fused (d=64, causal=…', 'roofline-cuda0.dat' index 2 using 1:2:3:4 with yerrorbars lt 3 pt 5 title 'attn_d64: cudnn (d=64, causal=…', 'roofline-cuda0.dat' index 3 using 1:2:3:4 with yerrorbars lt 4 pt 5 title 'attn_d64_causal: unfused (d=64…', 'roofline-cuda0.dat' index 4 using 1:2:3:4 with yerrorbars lt 5 pt 5 title 'attn_d64_causal: fused (d=64, …', 'roofline-cuda0.dat' index 5 using 1:2:3:4 with yerrorbars lt 6 pt 5 title 'attn_d64_causal: cudnn (d=64, …', 'roofline-cuda0.dat' index 6 using 1:2:3:4 with yerrorbars lt 7 pt 5 title 'attn_d128: unfused (d=128, cau…', 'roofline-cuda0.dat' index 7 using 1:2:3:4 with yerrorbars lt 8 pt 5 title 'attn_d128: fused (d=128, causa…', 'roofline-cuda0.dat' index 8 using 1:2:3:4 with yerrorbars lt 1 pt 7 title 'attn_d128: cudnn (d=128, causa…', 'roofline-cuda0.dat' index 9 using 1:2:3:4 with yerrorbars lt 2 pt 7 title 'attn_d128_causal: unfused (d=1…', 'roofline-cuda0.dat' index 10 using 1:2:3:4 with yerrorbars lt 3 pt 7 title 'attn_d128_causal: fused (d=128…', 'roofline-cuda0.dat' index 11 using 1:2:3:4 with yerrorbars lt 4 pt 7 title 'attn_d128_causal: cudnn (d=128…'
set terminal svg noenhanced size 900,520 font 'Sans,11' background '#ffffff'
set output 'roofline-cuda0.svg'
replot
unset output
