set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,500 font 'Sans,11'
set output 'group-cpu_memory_cpu_memory_triad-8ce32e47.throughput.png'
set title 'cpu_memory / cpu_memory_triad: throughput'
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
set xlabel 'kib'
set logscale x 2
set xrange [12.3076923:1363148.8]
set xtics ('16 KiB' 16, '64 KiB' 64, '256 KiB' 256, '1 MiB' 1024, '4 MiB' 4096, '16 MiB' 16384, '64 MiB' 65536, '256 MiB' 262144, '1 GiB' 1048576)
set yrange [0:314.727585]
set ylabel 'throughput (GB/s)'
plot 'group-cpu_memory_cpu_memory_triad-8ce32e47.throughput.dat' index 0 using 1:($2/1e+09):($3/1e+09):($4/1e+09) with yerrorlines lt 1 title 'triad'
set terminal svg noenhanced size 900,500 font 'Sans,11' background '#ffffff'
set output 'group-cpu_memory_cpu_memory_triad-8ce32e47.throughput.svg'
replot
unset output
