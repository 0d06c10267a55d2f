set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,460 font 'Sans,11'
set output 'matmul_wgmma_wgmma_ws_n_4096-967d0dd1.fit.png'
set title 'matmul_wgmma/wgmma_ws/n=4096: total sample time against iterations'
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
set xlabel 'iterations in the sample'
set ylabel 'sample time (ms)'
set xrange [0:145.6]
set yrange [0:*]
plot 'matmul_wgmma_wgmma_ws_n_4096-967d0dd1.fit.dat' index 1 using 1:2:3 with filledcurves lc rgb '#1f77b4' fs transparent solid 0.2 noborder title '95 % CI of the slope', 'matmul_wgmma_wgmma_ws_n_4096-967d0dd1.fit.dat' index 1 using 1:4 with lines lt 1 title 'slope 231.7 µs/iter, R² 1.0000', 'matmul_wgmma_wgmma_ws_n_4096-967d0dd1.fit.dat' index 0 with points pt 7 ps 0.8 lc rgb '#333333' title 'samples'
set terminal svg noenhanced size 900,460 font 'Sans,11' background '#ffffff'
set output 'matmul_wgmma_wgmma_ws_n_4096-967d0dd1.fit.svg'
replot
unset output
