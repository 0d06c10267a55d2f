set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,942 font 'Sans,11'
set output 'change.png'
set title 'change of the mean against the baseline'
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
set key outside bottom center horizontal
set xlabel 'change of the mean (%)'
set yrange [0.4:33.6]
set format x '%+g'
set ytics ('cpu_matmul/naive/n=32' 33, 'cpu_matmul/naive/n=64' 32, 'cpu_matmul/naive/n=128' 31, 'cpu_matmul/naive/n=256' 30, 'cpu_matmul/naive/n=512' 29, 'cpu_matmul/blocked/n=32' 28, 'cpu_matmul/blocked/n=64' 27, 'cpu_matmul/blocked/n=128' 26, 'cpu_matmul/blocked/n=256' 25, 'cpu_matmul/blocked/n=512' 24, 'cpu_matmul/simd/n=32' 23, 'cpu_matmul/simd/n=64' 22, 'cpu_matmul/simd/n=128' 21, 'cpu_matmul/simd/n=256' 20, 'cpu_matmul/simd/n=512' 19, 'cpu_memory/copy/kib=16' 18, 'cpu_memory/copy/kib=64' 17, 'cpu_memory/copy/kib=256' 16, 'cpu_memory/copy/kib=1024' 15, 'cpu_memory/copy/kib=4096' 14, 'cpu_memory/copy/kib=16384' 13, 'cpu_memory/copy/kib=65536' 12, 'cpu_memory/copy/kib=262144' 11, 'cpu_memory/copy/kib=1048576' 10, 'cpu_memory/triad/kib=16' 9, 'cpu_memory/triad/kib=64' 8, 'cpu_memory/triad/kib=256' 7, 'cpu_memory/triad/kib=1024' 6, 'cpu_memory/triad/kib=4096' 5, 'cpu_memory/triad/kib=16384' 4, 'cpu_memory/triad/kib=65536' 3, 'cpu_memory/triad/kib=262144' 2, 'cpu_memory/triad/kib=1048576' 1)
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444'
set object 1 rect from -1, graph 0 to 1, graph 1 behind fc rgb '#eeeeee' fs solid 1.0 noborder
plot 'change.dat' index 0 using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 lc rgb '#2ca02c' title 'improved', 'change.dat' index 1 using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 lc rgb '#d62728' title 'regressed', 'change.dat' index 2 using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 lc rgb '#ff7f0e' title 'within noise', 'change.dat' index 3 using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 lc rgb '#7f7f7f' title 'no change'
set terminal svg noenhanced size 900,942 font 'Sans,11' background '#ffffff'
set output 'change.svg'
replot
unset output
