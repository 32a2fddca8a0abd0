// 实验的中文标签；导入即注册（见 ./i18n.ts）。
import type { LabLabels } from './i18n.ts';
import { registerLabLabels } from './i18n.ts';

export const LAB_ZH: LabLabels = {
  bytes: '应用读到了什么',
  bytesIntro: '每个套接字收到的数据流，逐字节列出；来自更早连接的字节会被标出。',
  bytesEmpty: '还没有数据到达应用。',
  stream: (host: string, fd: string, conn: string) => `${host}，套接字 ${fd}（${conn}）`,
  received: '收到',
  readByApp: 'recv() 读到',
  sentByPeer: '对端在本连接中发送的',
  old: (seg: number, sent: string) => `来自旧连接：报文段 #${seg}，发送于 ${sent}`,
  fresh: (seg: number) => `报文段 #${seg}`,
  corrupted: '数据已损坏：更早连接的字节被当成了本连接的数据。',
  clean: '数据干净：每个字节都属于本连接。',
  counters: '计数随时间的变化',
  countersTitle: 'TIME_WAIT 条目、客户端占用的端口和失败的 connect() 调用',
  tw: (host: string) => `${host}上的 TIME_WAIT`,
  ports: (host: string) => `${host}占用的端口`,
  fails: 'connect() 失败次数（累计）',
  count: '数量',
  calls: '套接字调用',
  callsEmpty: '还没有套接字调用。',
  blocked: '仍在等待',
  rate: '每秒请求数（每个请求一条连接）',
  range: '客户端端口（ip_local_port_range）',
  pool: '连接方式',
  perRequest: '每个请求新建一条连接',
  pooled: (n: number) => `由 ${n} 条持久连接组成的池`,
  ports1: (n: number) => `${n} 个端口`,
  perSecond: (n: number) => `${n}/秒`,
  running: '正在运行模拟……',
  cancelled: '已取消。',
  failed: (why: string) => `模拟失败：${why}`,
  noWorker: '此浏览器无法在后台运行模拟；显示的是预先算好的结果。',
  little: '利特尔法则：速率 × 60 秒，以端口数为上限',
  summary: (connects: number, failures: number) =>
    failures === 0
      ? `共 ${connects} 次 connect()，全部成功。`
      : `共 ${connects} 次 connect()，其中 ${failures} 次因 EADDRNOTAVAIL（没有空闲四元组）失败。`,
  firstFailure: (at: string) => `第一次失败发生在 ${at}。`,
  prediction: (rate: number, tw: string, expected: number, range: number) =>
    `预测：${rate}/秒 × ${tw} = ${expected} 个 TIME_WAIT 条目${expected > range ? `，超过 ${range} 个端口：connect() 必然失败` : `，没有超过 ${range} 个端口`}。`,
  log: 'connect() 日志（每秒）',
  logLine: (at: string, n: number, failed: number) =>
    failed > 0
      ? `${at}  ${n} 次 connect()：${failed} 次 EADDRNOTAVAIL`
      : `${at}  ${n} 次 connect()：全部成功`,
  logGap: (n: number) => `…… 另有 ${n} 秒与上一行相同 ……`,
  wall: (ms: number) => `模拟耗时 ${ms} 毫秒`,
};

registerLabLabels('zh-CN', LAB_ZH);
