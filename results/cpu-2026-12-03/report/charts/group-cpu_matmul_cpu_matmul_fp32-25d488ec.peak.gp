set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,500 font 'Sans,11'
set output 'group-cpu_matmul_cpu_matmul_fp32-25d488ec.peak.png'
set title 'cpu_matmul / cpu_matmul_fp32: % of the measured peak (106.4 GFLOP/s)'
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
set xlabel 'n'
set logscale x 2
set xrange [24.6153846:665.6]
set xtics ('32' 32, '64' 64, '128' 128, '256' 256, '512' 512)
set ylabel '% of measured peak'
set yrange [0:108.592581]
set format y '%g %%'
plot 'group-cpu_matmul_cpu_matmul_fp32-25d488ec.peak.dat' index 0 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 1 title 'naive', 'group-cpu_matmul_cpu_matmul_fp32-25d488ec.peak.dat' index 1 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 2 title 'blocked', 'group-cpu_matmul_cpu_matmul_fp32-25d488ec.peak.dat' index 2 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 3 title 'simd'
set terminal svg noenhanced size 900,500 font 'Sans,11' background '#ffffff'
set output 'group-cpu_matmul_cpu_matmul_fp32-25d488ec.peak.svg'
replot
unset output
