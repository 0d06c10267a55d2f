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
set linetype 2 lc rgb '#d62728' lw 2 pt 5 ps 0.9
set linetype 3 lc rgb '#2ca02c' lw 2 pt 9 ps 0.9
set linetype 4 lc rgb '#ff7f0e' lw 2 pt 11 ps 0.9
set linetype 5 lc rgb '#9467bd' lw 2 pt 13 ps 0.9
set linetype 6 lc rgb '#8c564b' lw 2 pt 6 ps 0.9
set linetype 7 lc rgb '#e377c2' lw 2 pt 4 ps 0.9
set linetype 8 lc rgb '#17becf' lw 2 pt 7 ps 0.9
set linetype 9 lc rgb '#7f7f7f' lw 2 pt 5 ps 0.9
set linetype 10 lc rgb '#bcbd22' lw 2 pt 9 ps 0.9
set linetype 11 lc rgb '#393b79' lw 2 pt 11 ps 0.9
set linetype 12 lc rgb '#637939' lw 2 pt 13 ps 0.9
set linetype 13 lc rgb '#843c39' lw 2 pt 6 ps 0.9
set linetype 14 lc rgb '#7b4173' lw 2 pt 4 ps 0.9
set linetype 15 lc rgb '#e7ba52' lw 2 pt 7 ps 0.9
set linetype 16 lc rgb '#000000' lw 2 pt 5 ps 0.9
set linetype 17 lc rgb '#1f77b4' lw 2 pt 9 ps 0.9
set linetype 18 lc rgb '#d62728' lw 2 pt 11 ps 0.9
set linetype 19 lc rgb '#2ca02c' lw 2 pt 13 ps 0.9
set linetype 20 lc rgb '#ff7f0e' lw 2 pt 6 ps 0.9
set linetype 21 lc rgb '#9467bd' lw 2 pt 4 ps 0.9
set linetype 22 lc rgb '#8c564b' lw 2 pt 7 ps 0.9
set linetype 23 lc rgb '#e377c2' lw 2 pt 5 ps 0.9
set linetype 24 lc rgb '#17becf' lw 2 pt 9 ps 0.9
set linetype 25 lc rgb '#7f7f7f' lw 2 pt 11 ps 0.9
set linetype 26 lc rgb '#bcbd22' lw 2 pt 13 ps 0.9
set linetype 27 lc rgb '#393b79' lw 2 pt 6 ps 0.9
set linetype 28 lc rgb '#637939' lw 2 pt 4 ps 0.9
set linetype 29 lc rgb '#843c39' lw 2 pt 7 ps 0.9
set linetype 30 lc rgb '#7b4173' lw 2 pt 5 ps 0.9
set linetype 31 lc rgb '#e7ba52' lw 2 pt 9 ps 0.9
set linetype 32 lc rgb '#000000' lw 2 pt 11 ps 0.9
set linetype 33 lc rgb '#1f77b4' lw 2 pt 13 ps 0.9
set linetype 34 lc rgb '#d62728' lw 2 pt 6 ps 0.9
set linetype 35 lc rgb '#2ca02c' lw 2 pt 4 ps 0.9
set linetype 36 lc rgb '#ff7f0e' lw 2 pt 7 ps 0.9
set linetype 37 lc rgb '#9467bd' lw 2 pt 5 ps 0.9
set linetype 38 lc rgb '#8c564b' lw 2 pt 9 ps 0.9
set linetype 39 lc rgb '#e377c2' lw 2 pt 11 ps 0.9
set linetype 40 lc rgb '#17becf' lw 2 pt 13 ps 0.9
set linetype 41 lc rgb '#7f7f7f' lw 2 pt 6 ps 0.9
set linetype 42 lc rgb '#bcbd22' lw 2 pt 4 ps 0.9
set linetype 43 lc rgb '#393b79' lw 2 pt 7 ps 0.9
set linetype 44 lc rgb '#637939' lw 2 pt 5 ps 0.9
set linetype 45 lc rgb '#843c39' lw 2 pt 9 ps 0.9
set linetype 46 lc rgb '#7b4173' lw 2 pt 11 ps 0.9
set linetype 47 lc rgb '#e7ba52' lw 2 pt 13 ps 0.9
set linetype 48 lc rgb '#000000' lw 2 pt 6 ps 0.9
set linetype 49 lc rgb '#1f77b4' lw 2 pt 4 ps 0.9
set linetype 50 lc rgb '#d62728' lw 2 pt 7 ps 0.9
set linetype 51 lc rgb '#2ca02c' lw 2 pt 5 ps 0.9
set linetype 52 lc rgb '#ff7f0e' lw 2 pt 9 ps 0.9
set linetype 53 lc rgb '#9467bd' lw 2 pt 11 ps 0.9
set linetype 54 lc rgb '#8c564b' lw 2 pt 13 ps 0.9
set linetype 55 lc rgb '#e377c2' lw 2 pt 6 ps 0.9
set linetype 56 lc rgb '#17becf' lw 2 pt 4 ps 0.9
set linetype 57 lc rgb '#7f7f7f' lw 2 pt 7 ps 0.9
set linetype 58 lc rgb '#bcbd22' lw 2 pt 5 ps 0.9
set linetype 59 lc rgb '#393b79' lw 2 pt 9 ps 0.9
set linetype 60 lc rgb '#637939' lw 2 pt 11 ps 0.9
set linetype 61 lc rgb '#843c39' lw 2 pt 13 ps 0.9
set linetype 62 lc rgb '#7b4173' lw 2 pt 6 ps 0.9
set linetype 63 lc rgb '#e7ba52' lw 2 pt 4 ps 0.9
set linetype 64 lc rgb '#000000' lw 2 pt 7 ps 0.9
set linetype cycle 64
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
