# SPDX-License-Identifier: MIT
# power.gp - the power curves of docs/statistics.md from validate's --data file:
#   gnuplot -e "data='FILE'; out='docs/statistics-power'" tests/stats/power.gp
if (!exists("data") || !exists("out")) print "power.gp: set data and out"; exit
set datafile commentschars "#"
set key outside right top vertical Left reverse noenhanced font ",9"
set xlabel "true slowdown (%)"
set ylabel "runs called regressed (%)"
set xrange [-0.3:10.3]
set yrange [0:100]
set xtics (0, 1, 2, 5, 10)
set ytics 10
set grid ytics lc rgb "#dddddd"
set arrow 1 from graph 0, first 95 to graph 1, first 95 nohead dt 2 lc rgb "#888888"
set arrow 2 from graph 0, first 5 to graph 1, first 5 nohead dt 2 lc rgb "#888888"
sizes = "10 30 100"
dash(i) = 1 + (i - 2) / 6 # solid for the first six distributions, dashed after
panel(k) = sprintf("n = %s samples per side", word(sizes, k + 1))
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo noenhanced size 1500,520 font "Sans,10"
    } else {
        set terminal svg noenhanced size 1500,520 font "Sans,10" background "#ffffff"
    }
    set output out . "." . fmt
    set multiplot layout 1,3 title "cbench change verdicts: P(regressed) against the true slowdown (default methods; significance 0.05, noise threshold 1 %; dashed: 5 % and 95 %)"
    do for [k = 0:2] {
        set title panel(k)
        if (k < 2) { unset key } else { set key }
        plot for [i = 2:*] data index k using 1:i with linespoints lw 1.5 lc i - 1 \
            dt dash(i) pt (i % 7) + 1 ps 0.8 title columnhead(i)
    }
    unset multiplot
    set output
}
