set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,500 font 'Sans,11'
set output 'group-matmul_fp16_matmul-9d68060e.speedup.png'
set title 'matmul_fp16 / matmul: speedup over the base kernel'
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
set xrange [49.2307692:10649.6]
set xtics ('64' 64, '128' 128, '256' 256, '512' 512, '1000' 1000, '1024' 1024, '2048' 2048, '3000' 3000, '4096' 4096, '8192' 8192)
set ylabel 'speedup: mean(base) / mean(kernel)'
set logscale y 2
set yrange [0.00690011363:4.34297437]
set format y '%.3g×'
set object 1 rect from 64, graph 0 to 128, graph 1 behind fc rgb '#efe6f7' fs solid 1.0 noborder
set label 1 'crossover' at 90.509668, graph 0.96 center font ',9' tc rgb '#6a3d9a'
set object 2 rect from 128, graph 0 to 256, graph 1 behind fc rgb '#efe6f7' fs solid 1.0 noborder
set label 2 'crossover' at 181.019336, graph 0.96 center font ',9' tc rgb '#6a3d9a'
set object 3 rect from 256, graph 0 to 512, graph 1 behind fc rgb '#efe6f7' fs solid 1.0 noborder
set label 3 'crossover' at 362.038672, graph 0.96 center font ',9' tc rgb '#6a3d9a'
set object 4 rect from 512, graph 0 to 1000, graph 1 behind fc rgb '#efe6f7' fs solid 1.0 noborder
set label 4 'crossover' at 715.541753, graph 0.96 center font ',9' tc rgb '#6a3d9a'
plot 1 with lines lc rgb '#000000' dt 2 lw 1.5 title 'base: matmul_fp16/cublas_f16', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 0 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 1 title 'matmul_fp16/half', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 1 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 2 title 'matmul_fp16/half2', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 2 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 4 title 'matmul_fp32/naive', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 3 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 5 title 'matmul_fp32/tiled', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 4 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 6 title 'matmul_fp32/regblock', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 5 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 7 title 'matmul_fp32/sgemm', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 6 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 8 title 'matmul_fp32/tf32', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 7 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 9 title 'matmul_wmma/wmma_direct', 'group-matmul_fp16_matmul-9d68060e.speedup.dat' index 8 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 10 title 'matmul_wmma/wmma_pipe'
set terminal svg noenhanced size 900,500 font 'Sans,11' background '#ffffff'
set output 'group-matmul_fp16_matmul-9d68060e.speedup.svg'
replot
unset output
