import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

/** The app's own plain gateway, on the stock `{ event, data }` protocol, with no auth. */
@WebSocketGateway({ path: '/echo' })
export class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return { event: 'echo', data };
  }
}
