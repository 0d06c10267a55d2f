set encoding utf8
set micro
set terminal pngcairo noenhanced size 900,500 font 'Sans,11'
set output 'group-attention_attn_d128_causal-d9ed5b4f.speedup.png'
set title 'attention / attn_d128_causal: speedup over the base kernel'
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
set xlabel 'seq'
set logscale x 2
set xrange [393.846154:10649.6]
set xtics ('512' 512, '1024' 1024, '2048' 2048, '4096' 4096, '8192' 8192)
set ylabel 'speedup: mean(base) / mean(kernel)'
set logscale y 2
set yrange [0.892857143:8.92653119]
set format y '%.3g×'
plot 1 with lines lc rgb '#000000' dt 2 lw 1.5 title 'base: unfused (d=128, causal=1)', 'group-attention_attn_d128_causal-d9ed5b4f.speedup.dat' index 0 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 2 title 'fused (d=128, causal=1)', 'group-attention_attn_d128_causal-d9ed5b4f.speedup.dat' index 1 using 1:($2/1):($3/1):($4/1) with yerrorlines lt 3 title 'cudnn (d=128, causal=1)'
set terminal svg noenhanced size 900,500 font 'Sans,11' background '#ffffff'
set output 'group-attention_attn_d128_causal-d9ed5b4f.speedup.svg'
replot
unset output
