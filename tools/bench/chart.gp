# Requests per second by concurrency, one bar per client (tools/bench/run.sh passes
# datafile, outfile and last, the data file's last column:
# gnuplot -e "datafile='...'; outfile='...'; last=6" chart.gp).
set terminal pngcairo size 1000,600 font "sans,10" noenhanced
set output outfile
set title "rhc vs raw libcurl vs wrk on loopback nginx (/msg, closed loop, median)"
set ylabel "requests per second"
unset xlabel
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set key outside bottom center horizontal maxrows 2 samplen 2
set format y "%.0f"
plot for [i=2:last] datafile using i:xtic(sprintf("c = %s in flight", stringcolumn(1))) \
  title columnheader(i)
