// 实验的中文标签；导入即注册（见 ./i18n.ts）。
import type { LabLabels } from './i18n.ts';
import { registerLabLabels } from './i18n.ts';

export const LAB_ZH: LabLabels = {
  bytes: '应用读到了什么',
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
};

registerLabLabels('zh-CN', LAB_ZH);
