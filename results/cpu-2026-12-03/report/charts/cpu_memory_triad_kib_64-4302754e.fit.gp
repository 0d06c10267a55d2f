set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,460 font 'Sans,11'
set output 'cpu_memory_triad_kib_64-4302754e.fit.png'
set title 'cpu_memory/triad/kib=64: total sample time against iterations'
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
set xlabel 'iterations in the sample'
set ylabel 'sample time (ms)'
set xrange [0:281736]
set yrange [0:*]
plot 'cpu_memory_triad_kib_64-4302754e.fit.dat' index 1 using 1:2:3 with filledcurves lc rgb '#1f77b4' fs transparent solid 0.2 noborder title '95 % CI of the slope', 'cpu_memory_triad_kib_64-4302754e.fit.dat' index 1 using 1:4 with lines lt 1 title 'slope 363.6 ns/iter, R² 0.9969', 'cpu_memory_triad_kib_64-4302754e.fit.dat' index 0 with points pt 7 ps 0.8 lc rgb '#333333' title 'samples'
set terminal svg noenhanced size 900,460 font 'Sans,11' background '#ffffff'
set output 'cpu_memory_triad_kib_64-4302754e.fit.svg'
replot
unset output
