set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,460 font 'Sans,11'
set output 'cpu_memory_triad_kib_64-4302754e.kde.png'
set title 'cpu_memory/triad/kib=64: density of per-iteration times'
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
set xlabel 'time per iteration (ns)'
set ylabel 'density (1/ns)'
set xrange [344.252072:401.818205]
set yrange [-0.00637704197:0.114786755]
plot 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 0 with filledcurves y1=0 lc rgb '#1f77b4' fs transparent solid 0.25 noborder title 'density (KDE)', 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 0 with lines lc rgb '#1f77b4' lw 1.5 notitle, 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 1 with points pt 2 ps 0.8 lc rgb '#555555' title 'samples', 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 2 with points pt 6 ps 0.8 lc rgb '#d62728' title 'outliers', 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 3 with lines lw 1.5 lc rgb '#000000' dt 1 title 'mean 360.0 ns', 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 4 with lines lw 1.5 lc rgb '#000000' dt 2 title 'median 358.3 ns', 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 5 with lines lw 1.2 lc rgb '#ff7f0e' dt 3 title 'mild fences (1.5 IQR)', 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 6 with lines lw 1.2 lc rgb '#ff7f0e' dt 3 notitle, 'cpu_memory_triad_kib_64-4302754e.kde.dat' index 7 with lines lw 1.2 lc rgb '#d62728' dt 4 title 'severe fences (3 IQR)'
set terminal svg noenhanced size 900,460 font 'Sans,11' background '#ffffff'
set output 'cpu_memory_triad_kib_64-4302754e.kde.svg'
replot
unset output
