/* pcap_loop.c: the floor of the benchmark.
 *
 * The least any libpcap-based reader has to do: open the capture, fetch every frame with
 * pcap_next_ex and count frames and captured bytes. No decoding. To keep the compiler from
 * deciding the frame data is never looked at, the first byte of each frame is folded into a
 * checksum that is printed too.
 *
 * Build: cc -O2 -o pcap_loop pcap_loop.c -lpcap   (bench/run.sh does this in its scratch folder)
 * Usage: pcap_loop FILE   -> "frames N bytes M xor X" on stdout; exit 1 on error.
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
    return 2;
  }
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t *p = pcap_open_offline(argv[1], errbuf);
  if (p == NULL) {
    fprintf(stderr, "pcap_loop: %s\n", errbuf);
    return 1;
  }
  unsigned long long frames = 0, bytes = 0;
  unsigned char fold = 0;
  struct pcap_pkthdr *hdr;
  const unsigned char *data;
  int rc;
  while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
    ++frames;
    bytes += hdr->caplen;
    if (hdr->caplen > 0) fold ^= data[0];
  }
  if (rc == PCAP_ERROR) {
    fprintf(stderr, "pcap_loop: after %llu frames: %s\n", frames, pcap_geterr(p));
    pcap_close(p);
    return 1;
  }
  printf("frames %llu bytes %llu xor %u\n", frames, bytes, (unsigned)fold);
  pcap_close(p);
  return 0;
}
