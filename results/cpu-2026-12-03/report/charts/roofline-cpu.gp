set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,520 font 'Sans,11'
set output 'roofline-cpu.png'
set title 'Roofline of the CPU (roofs: the best measured throughputs)'
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
set xrange [0.0208333333:341.333333]
set samples 400
roof(x) = x * 3.08789236e+11 < 1.06413677e+11 ? x * 3.08789236e+11 : 1.06413677e+11
set logscale y 10
set yrange [1e+09:1e+12]
set format y '%.0s %cFLOP/s'
plot roof(x) with lines lc rgb '#000000' lw 2 title 'roof: 106.4 GFLOP/s, 308.8 GB/s', 'roofline-cpu.dat' index 0 using 1:2:3:4 with yerrorbars lt 1 pt 5 title 'cpu_matmul_fp32: naive', 'roofline-cpu.dat' index 1 using 1:2:3:4 with yerrorbars lt 2 pt 5 title 'cpu_matmul_fp32: blocked', 'roofline-cpu.dat' index 2 using 1:2:3:4 with yerrorbars lt 3 pt 5 title 'cpu_matmul_fp32: simd', 'roofline-cpu.dat' index 3 using 1:2:3:4 with yerrorbars lt 4 pt 5 title 'cpu_memory_triad: triad'
set terminal svg noenhanced size 900,520 font 'Sans,11' background '#ffffff'
set output 'roofline-cpu.svg'
replot
unset output
